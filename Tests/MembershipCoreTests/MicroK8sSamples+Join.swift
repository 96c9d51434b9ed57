import MembershipCore
import Testing

/// A sample and the failure its parser must throw.
struct FailureCase: Sendable, CustomTestStringConvertible {
  var sample: MicroK8sSample
  var expected: MicroK8sFailure

  init(
    _ name: String,
    exit: Int32,
    stdout: String = "",
    stderr: String = "",
    _ expected: MicroK8sFailure
  ) {
    sample = MicroK8sSample(name, exit: exit, stdout: stdout, stderr: stderr)
    self.expected = expected
  }

  var testDescription: String { sample.name }
}

enum JoinSamples {
  static let contacting = "Contacting cluster at 10.0.0.1\n"

  /// 1.29+ control plane (the ISSUE #4513 transcript shape, contract section 3.3).
  static let controlPlane =
    contacting + "Waiting for this node to finish joining the cluster. .. .. .. ..  \n"
    + "Successfully joined the cluster.\n"

  /// 1.28 and older: nothing after the dots.
  static let controlPlaneOld =
    contacting + "Waiting for this node to finish joining the cluster. .. .. . \n"

  /// Worker join, with the hostpath and CIDR warnings (contract section 3.3, 9 and 11).
  static let worker =
    "WARNING: Hostpath storage is enabled and is not suitable for multi node clusters.\n\n"
    + contacting
    + "WARNING: Joining a cluster that has a different CIDR. "
    + "The calico daemonset will be patched.\n"
    + "Cluster CIDR: 10.1.0.0/16 -- Node CIDR: 10.2.0.0/16 (will be overwritten)\n"
      + """

      The node has joined the cluster and will appear in the nodes list in a few seconds.

      This worker node gets automatically configured with the API server endpoints.
      If the API servers are behind a loadbalancer please set the '--refresh-interval' to '0s' in:
          /var/snap/microk8s/current/args/apiserver-proxy
      and replace the API server endpoints with the one provided by the loadbalancer in:
          /var/snap/microk8s/current/args/traefik/provider.yaml

      Successfully joined the cluster.

      """

  static let lowMemory = """

    This node does not have enough RAM to host the Kubernetes control plane services
    and join the database quorum. You may consider joining this node as a worker instead:

        microk8s join \(sampleURL) --worker

    If you would still like to join the cluster as a control plane node, use:

        microk8s join \(sampleURL) --disable-low-memory-guard


    """

  static func traceback(_ exception: String) -> String {
    """
    Traceback (most recent call last):
      File "/snap/microk8s/6089/scripts/wrappers/join.py", line 1064, in <module>
        join(prog_name="microk8s join")
      File "/snap/microk8s/6089/scripts/wrappers/join.py", line 331, in get_connection_info
        conn.connect()
      File "/snap/microk8s/6089/usr/lib/python3.8/http/client.py", line 1414, in connect
        super().connect()
      File "/snap/microk8s/6089/usr/lib/python3.8/socket.py", line 796, in create_connection
        sock.connect(sa)
    \(exception)

    """
  }

  static func refusal(_ text: String) -> String { contacting + "Connection failed. \(text).\n" }

  static let failures: [FailureCase] =
    invalidConnections + agentRefusals + [
      FailureCase("join low memory", exit: 1, stdout: lowMemory, .lowMemory),
      FailureCase(
        "join fingerprint mismatch",
        exit: 4,
        stdout: contacting + "Joining cluster failed. Could not verify the identity of 10.0.0.1. "
          + "Use '--skip-verify' to skip server certificate check.\n",
        .fingerprintMismatch(contact: "10.0.0.1")
      ),
      FailureCase(
        "join agent refused connection",
        exit: 1,
        stdout: contacting,
        stderr: traceback("ConnectionRefusedError: [Errno 111] Connection refused"),
        .agentUnreachable(
          contact: "10.0.0.1",
          detail: "ConnectionRefusedError: [Errno 111] Connection refused"
        )
      ),
      FailureCase(
        "join agent timed out",
        exit: 1,
        stdout: contacting,
        stderr: traceback("TimeoutError: [Errno 110] Connection timed out"),
        .agentUnreachable(
          contact: "10.0.0.1",
          detail: "TimeoutError: [Errno 110] Connection timed out"
        )
      ),
      FailureCase(
        "join no route",
        exit: 1,
        stdout: contacting,
        stderr: traceback("OSError: [Errno 113] No route to host"),
        .agentUnreachable(contact: "10.0.0.1", detail: "OSError: [Errno 113] No route to host")
      ),
      FailureCase(
        "join crashed after restart",
        exit: 1,
        stdout: contacting,
        stderr: traceback(
          "subprocess.CalledProcessError: Command '['/snap/microk8s/6089/microk8s-stop.wrapper']' "
            + "returned non-zero exit status 1."
        ),
        .crashed(
          detail:
            "subprocess.CalledProcessError: Command "
            + "'['/snap/microk8s/6089/microk8s-stop.wrapper']' "
            + "returned non-zero exit status 1."
        )
      ),
      FailureCase(
        "join --controlplane trap",
        exit: 1,
        stdout: contacting
          + "Joining process failed. Make sure the cluster you connect to supports joining "
          + "worker nodes.\n",
        .workerJoinUnsupported
      ),
      FailureCase(
        "join sign-cert",
        exit: 1,
        stdout: contacting + "Failed to sign kubelet certificate (500). Invalid token\n",
        .certificateSigningFailed(detail: "Failed to sign kubelet certificate (500). Invalid token")
      ),
      FailureCase(
        "join usage",
        exit: 2,
        stderr: "Usage: microk8s join [OPTIONS] CONNECTION\nTry 'microk8s join -h' for help.\n\n"
          + "Error: Missing argument 'CONNECTION'.\n",
        .usageRejected(detail: "Error: Missing argument 'CONNECTION'.")
      ),
      FailureCase(
        "join HTTP exception",
        exit: 5,
        stdout: contacting
          + "Connecting to cluster failed with RemoteDisconnected('Remote end closed "
          + "connection without response').\n",
        .agentConnectionFailed(
          detail:
            "Connecting to cluster failed with RemoteDisconnected('Remote end closed connection "
            + "without response')."
        )
      ),
    ]

  /// Contract section 3.2: every `Invalid connection:` reason, exit 1.
  static let invalidConnections: [FailureCase] = [
    "Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]", "Invalid master IP",
    "Master PORT not a number", "Master PORT not in range 1:65535",
    "Cluster token size should be at least 32 bytes", "Fingerprint should be at least 12 bytes",
  ].map { reason in
    FailureCase(
      "join invalid connection: \(reason)",
      exit: 1,
      stdout: "Invalid connection: \(reason)\n",
      .invalidJoinAddress(reason: reason)
    )
  }

  /// Contract section 3.4: every row, exit 6, in the wording of each agent version.
  static let agentRefusals: [FailureCase] = [
    // Verbatim from microk8s-cluster-agent PR #26: an agent asked right after a restart.
    FailureCase(
      "join agent without its cluster file",
      exit: 6,
      stdout: refusal(
        "Failed to retrieve dqlite cluster nodes: open /var/snap/microk8s/current/var/"
          + "kubernetes/backend/cluster.yaml: no such file or directory (500)"
      ),
      .agentDatastoreUnavailable(
        detail: "Failed to retrieve dqlite cluster nodes: open /var/snap/microk8s/current/var/"
          + "kubernetes/backend/cluster.yaml: no such file or directory"
      )
    ),
    FailureCase(
      "join invalid token",
      exit: 6,
      stdout: refusal("Invalid token (500)"),
      .invalidToken
    ),
    FailureCase(
      "join invalid cluster token (older agent)",
      exit: 6,
      stdout: refusal("Invalid cluster token (500)"),
      .invalidToken
    ),
    FailureCase(
      "join not HA",
      exit: 6,
      stdout: refusal("Not possible to join. This is not an HA MicroK8s cluster (501)"),
      .notHighAvailability
    ),
    FailureCase(
      "join agent port",
      exit: 6,
      stdout: refusal("The port of the cluster agent port has to be set to 25000 (502)"),
      .agentPortMismatch(detail: "The port of the cluster agent port has to be set to 25000")
    ),
    FailureCase(
      "join same IP",
      exit: 6,
      stdout: refusal("The joining node has the same IP (10.0.0.1) as the node we contact (503)"),
      .joiningItself(address: "10.0.0.1")
    ),
    FailureCase(
      "join hostname does not resolve",
      exit: 6,
      stdout: refusal(
        #"The hostname (node2) of the joining node does not resolve to the IP "10.0.0.2". "#
          + "Refusing join (400)"
      ),
      .hostnameDoesNotResolve(hostname: "node2", address: "10.0.0.2")
    ),
    FailureCase(
      "join already known to dqlite (1.29+)",
      exit: 6,
      stdout: refusal(
        "Failed to retrieve dqlite cluster nodes: the joining node (10.0.0.2) is already "
          + "known to dqlite (500)"
      ),
      .alreadyKnownToDatastore(address: "10.0.0.2")
    ),
    FailureCase(
      "join already known to dqlite (1.28)",
      exit: 6,
      stdout: refusal("The joining node (10.0.0.2) is already known to dqlite (504)"),
      .alreadyKnownToDatastore(address: "10.0.0.2")
    ),
    FailureCase(
      "join dqlite bind address",
      exit: 6,
      stdout: refusal(
        "Failed to find matching dqlite bind address for 10.0.0.1:25000: address 10.0.0.1 was not "
          + "found in any host interface. refuse to update dqlite bind address (500)"
      ),
      .datastoreBindAddressNotFound(
        detail: "Failed to find matching dqlite bind address for 10.0.0.1:25000: address 10.0.0.1 "
          + "was not found in any host interface. refuse to update dqlite bind address"
      )
    ),
    FailureCase(
      "join custom etcd needs 1.28",
      exit: 6,
      stdout: refusal(
        "Joining a cluster with external etcd requires a newer client: update MicroK8s to version "
          + "1.28 or newer (500)"
      ),
      .versionMismatch(expected: Track(major: 1, minor: 28), found: nil)
    ),
    FailureCase(
      "join refusal without text",
      exit: 6,
      stdout: contacting + "Connection failed. (500).\n",
      .joinRefused(status: 500, message: "")
    ),
    FailureCase(
      "join unknown refusal",
      exit: 6,
      stdout: refusal("Failed to update cni configuration: calico not ready (500)"),
      .joinRefused(status: 500, message: "Failed to update cni configuration: calico not ready")
    ),
  ]

  static let all: [MicroK8sSample] =
    [
      MicroK8sSample("join control plane", exit: 0, stdout: controlPlane),
      MicroK8sSample("join control plane 1.28", exit: 0, stdout: controlPlaneOld),
      MicroK8sSample("join worker", exit: 0, stdout: worker),
    ] + failures.map(\.sample)
}
