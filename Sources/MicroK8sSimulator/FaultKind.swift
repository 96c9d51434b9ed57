/// The catalogue of failures the simulator can inject, one per failure row of the contract.
///
/// Each has a stable kebab-case name (its raw value), the verbs it can be attached to,
/// a one-line summary and the contract section it comes from; `microk8s-sim faults`
/// prints this table.
public enum FaultKind: String, Codable, Sendable, CaseIterable {
  case sshUnreachable = "ssh-unreachable"
  case hang
  case notInstalled = "not-installed"
  case permissionDenied = "permission-denied"
  case stopped
  case needsSudo = "needs-sudo"
  /// `sudo -n` in the node's command, and no sudoers entry lets the user run it.
  case sudoPassword = "sudo-password"
  case addNodeFreshInstallRequired = "add-node-fresh-install-required"
  case addNodeUtilityFailure = "add-node-utility-failure"
  case joinHostpathWarning = "join-hostpath-warning"
  case joinAgentUnreachable = "join-agent-unreachable"
  case joinAgentTimeout = "join-agent-timeout"
  case joinFingerprintMismatch = "join-fingerprint-mismatch"
  case joinSSLError = "join-ssl-error"
  case joinHTTPException = "join-http-exception"
  case joinInvalidToken = "join-invalid-token"
  case joinNotHA = "join-not-ha"
  case joinAgentPortMismatch = "join-agent-port-mismatch"
  case joinSameIP = "join-same-ip"
  case joinHostnameUnresolvable = "join-hostname-unresolvable"
  case joinAlreadyKnown = "join-already-known"
  case joinDqliteBindAddress = "join-dqlite-bind-address"
  /// The agent asked too early after a restart: its dqlite state file is not written
  /// yet (microk8s-cluster-agent PR #26).
  case joinAgentNoClusterFile = "join-agent-no-cluster-file"
  case joinCustomEtcd = "join-custom-etcd"
  case joinSignCertFailure = "join-sign-cert-failure"
  case joinSilentTimeout = "join-silent-timeout"
  case leaveOnlyVoter = "leave-only-voter"
  case leaveNotClustered = "leave-not-clustered"
  case leaveDqliteRemoveFailed = "leave-dqlite-remove-failed"
  case leaveNotInClusteringMode = "leave-not-in-clustering-mode"
  case removeNodeAPIUnavailable = "remove-node-api-unavailable"
  case removeNodeNoInternalIP = "remove-node-no-internal-ip"
  case removeNodeDqliteRemoveFailed = "remove-node-dqlite-remove-failed"
  case statusNotReady = "status-not-ready"
  case statusEmptyDatastore = "status-empty-datastore"
  case kubectlAPIUnavailable = "kubectl-api-unavailable"

  /// The verbs this fault can be attached to (`any` is accepted for the host-wide ones).
  public var verbs: [MicroK8sVerb] {
    switch self {
    case .sshUnreachable, .hang, .notInstalled: MicroK8sVerb.allCases
    // Host-wide (`any`), or for the snap alone: a sudoers entry for microk8s only.
    case .sudoPassword: [.snap]
    case .permissionDenied: [.addNode, .join, .leave, .removeNode, .status, .kubectl]
    case .stopped: [.addNode, .leave, .removeNode, .status, .kubectl]
    case .needsSudo: [.addNode, .leave]
    case .addNodeFreshInstallRequired, .addNodeUtilityFailure: [.addNode]
    case .leaveOnlyVoter, .leaveNotClustered, .leaveDqliteRemoveFailed,
      .leaveNotInClusteringMode:
      [.leave]
    case .removeNodeAPIUnavailable, .removeNodeNoInternalIP, .removeNodeDqliteRemoveFailed:
      [.removeNode]
    case .statusNotReady, .statusEmptyDatastore: [.status]
    case .kubectlAPIUnavailable: [.kubectl]
    default: [.join]
    }
  }

  /// Whether `any` is a valid verb for it: the faults of the host or its shell.
  public var acceptsAnyVerb: Bool {
    switch self {
    case .sshUnreachable, .hang, .notInstalled, .sudoPassword, .permissionDenied, .stopped: true
    default: false
    }
  }

  /// The heading of the section of docs/microk8s-behaviour.md that explains what the
  /// fault simulates, so that `microk8s-sim faults` points at the project's own page.
  public var behaviourSection: String {
    switch self {
    case .sshUnreachable, .hang: "Nodes that do not answer"
    case .notInstalled, .permissionDenied, .stopped, .needsSudo, .sudoPassword:
      "Stopped nodes, workers and permissions"
    case .addNodeFreshInstallRequired, .addNodeUtilityFailure: "Minting a join token"
    case .joinHostpathWarning: "Joining wipes the joining node"
    case .joinSilentTimeout: "A join can exit 0 without joining"
    case .joinAgentUnreachable, .joinAgentTimeout, .joinHTTPException, .joinFingerprintMismatch,
      .joinSSLError, .joinSignCertFailure:
      "Reaching the cluster agent"
    case .joinInvalidToken: "Join tokens are single use"
    case .joinAlreadyKnown: "Ghost datastore members (already known to dqlite)"
    case .joinNotHA, .joinAgentPortMismatch, .joinSameIP, .joinHostnameUnresolvable,
      .joinDqliteBindAddress, .joinCustomEtcd, .joinAgentNoClusterFile:
      "Why the cluster refuses a join"
    case .leaveOnlyVoter: "The only voter cannot leave"
    case .leaveNotClustered, .leaveDqliteRemoveFailed, .leaveNotInClusteringMode:
      "Leaving a cluster"
    case .removeNodeAPIUnavailable, .removeNodeNoInternalIP, .removeNodeDqliteRemoveFailed:
      "remove-node exit codes and --force"
    case .statusNotReady, .statusEmptyDatastore: "Status and the datastore listing"
    case .kubectlAPIUnavailable: "Datastore roles and quorum"
    }
  }

  public var summary: String {
    switch self {
    case .sshUnreachable: "ssh cannot connect: exit 255, the host itself stays up"
    case .hang: "the command never answers (sleeps an hour): for caller timeouts"
    case .notInstalled:
      "MicroK8s (or, for snap, snapd) is not installed: command not found, exit 127"
    case .sudoPassword: "sudo -n finds no sudoers entry: a password is required, exit 1"
    case .permissionDenied: "Insufficient permissions to access MicroK8s, exit 1"
    case .stopped: "behaves as after `microk8s stop` for this command"
    case .needsSudo: "strict snap run without root: Elevated permissions are needed, exit 1"
    case .addNodeFreshInstallRequired: "CA names 127.0.0.1: Clustering requires a fresh install"
    case .addNodeUtilityFailure: "token stored, then Failed to call utility function, exit 1"
    case .joinHostpathWarning: "prints the hostpath-storage WARNING, then joins normally"
    case .joinAgentUnreachable: "agent refuses the connection: Python traceback, exit 1"
    case .joinAgentTimeout: "agent connection times out: Python traceback, exit 1"
    case .joinFingerprintMismatch: "server certificate does not match: exit 4, token kept"
    case .joinSSLError: "TLS failure: Peer node verification failed, exit 4, token kept"
    case .joinHTTPException: "Connecting to cluster failed with an HTTP exception, exit 5"
    case .joinInvalidToken: "Invalid token (500), exit 6"
    case .joinNotHA: "This is not an HA MicroK8s cluster (501), exit 6, token burnt"
    case .joinAgentPortMismatch: "cluster agent port has to be 25000 (502), exit 6"
    case .joinSameIP: "the joining node has the same IP (503), exit 6"
    case .joinHostnameUnresolvable: "hostname does not resolve to the IP (400), exit 6"
    case .joinAlreadyKnown: "the joining node is already known to dqlite, exit 6"
    case .joinDqliteBindAddress: "no matching dqlite bind address (500), exit 6"
    case .joinAgentNoClusterFile: "agent restarting: no cluster.yaml yet (500), exit 6, retried"
    case .joinCustomEtcd: "custom etcd, update MicroK8s to 1.28 or newer (500)"
    case .joinSignCertFailure: "worker: Failed to sign proxy certificate, exit 1, token burnt"
    case .joinSilentTimeout: "dqlite wait gives up: exit 0 and success text, but not joined"
    case .leaveOnlyVoter: "refuses: the only copy of the Kubernetes database, exit 3"
    case .leaveNotClustered: "not acting as a node in a cluster, exit 1"
    case .leaveDqliteRemoveFailed: "Contacting node ... failed, exit 2, still a member"
    case .leaveNotInClusteringMode: "worker: Not in clustering mode., exit 2"
    case .removeNodeAPIUnavailable: "kubectl cannot reach the API: does not exist, exit 1"
    case .removeNodeNoInternalIP: "Node ... is not part of the cluster., exit 1"
    case .removeNodeDqliteRemoveFailed: "--force: Contacting node ... failed, exit 2"
    case .statusNotReady: "not ready: not running message (yaml: message quirk), exit 1"
    case .statusEmptyDatastore: "own address never appears in dqlite: empty member list"
    case .kubectlAPIUnavailable: "The connection to the server 127.0.0.1:16443 was refused"
    }
  }
}
