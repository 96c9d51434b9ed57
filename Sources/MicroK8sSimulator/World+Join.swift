/// `microk8s join` on the joining host: the client side of contract §3.
extension World {
  static let fingerprintMinimumLength = 12

  mutating func join(_ command: Command) -> CommandOutcome {
    let index = command.hostIndex
    var transcript = Transcript()
    if takeFault(.joinHostpathWarning, host: hosts[index].address, verb: .join) {
      transcript.out(
        "WARNING: Hostpath storage is enabled and is not suitable for multi node clusters."
      )
      transcript.out()
    }
    if let failure = permissionFailure(command) { return failure }
    let connection: JoinConnection
    let text: String
    let flags: [String]
    switch parseJoin(command.arguments, release: hosts[index].release, into: &transcript) {
    case .exit(let outcome): return outcome
    case .request(let parsed, let given, let arguments):
      (connection, text, flags) = (parsed, given, arguments)
    }
    // contract §3.6: --worker and --controlplane share one parameter; the last one wins and
    // either is truthy, so --controlplane takes the worker path.
    let roleFlag = flags.last { $0 == "--worker" || $0 == "--controlplane" }
    if flags.contains("--disable-low-memory-guard") { hosts[index].lowMemory = false }
    if hosts[index].lowMemory && roleFlag == nil {
      Self.lowMemoryJoin(text).forEach { transcript.out($0) }
      return transcript.exit(1)
    }
    transcript.out("Contacting cluster at \(connection.ip)")
    let verify = !flags.contains("--skip-verify")
    switch contact(connection, from: command, verify: verify, into: &transcript) {
    case .failed(let code): return transcript.exit(code)
    case .reached(let target):
      let reply = admitJoin(
        joiner: index,
        target: target,
        token: connection.token,
        now: command.now,
        worker: roleFlag == "--worker"
      )
      if case .refused(let status, let error) = reply {
        transcript.out("Connection failed. \(Self.capitalized(error)) (\(status)).")
        return transcript.exit(6)
      }
      return finishJoin(command, target: target, roleFlag: roleFlag, into: &transcript)
    }
  }

  private enum JoinArguments {
    /// The connection, its text as given, and the flags in order.
    case request(JoinConnection, String, [String])
    case exit(CommandOutcome)
  }

  /// click's parsing, then the connection string checks of 1.29+ (§3.1, §3.2).
  private func parseJoin(
    _ arguments: [String],
    release: MicroK8sRelease,
    into transcript: inout Transcript
  ) -> JoinArguments {
    switch Self.joinParser.parse(arguments) {
    case .exit(let outcome): return .exit(outcome)
    case .values(let argument, let flags):
      let text = argument ?? ""
      switch JoinConnection.parse(text, validate: release.isAtLeast(1, 29)) {
      case .valid(let connection): return .request(connection, text, flags)
      case .invalid(let reason):
        transcript.out("Invalid connection: \(reason)")
        return .exit(transcript.exit(1))
      case .crash(let code):
        let traceback = PythonTraceback.joinParse(
          revision: release.revision,
          code: code,
          error: "IndexError: list index out of range"
        )
        traceback.lines.forEach { transcript.err($0) }
        return .exit(transcript.exit(1))
      }
    }
  }

  enum Contact {
    case reached(targetIndex: Int)
    case failed(exitCode: Int32)
  }

  /// Opens the HTTPS connection to the agent and checks its certificate (§3.3 step 6).
  ///
  /// Nothing here reaches the agent's token check, so no failure burns the token.
  private mutating func contact(
    _ connection: JoinConnection,
    from command: Command,
    verify: Bool,
    into transcript: inout Transcript
  ) -> Contact {
    let joiner = hosts[command.hostIndex]
    let revision = joiner.release.revision
    func crash(_ error: String, resolving: Bool = false) -> Contact {
      let traceback = PythonTraceback.joinConnect(
        revision: revision,
        error: error,
        resolving: resolving
      )
      traceback.lines.forEach { transcript.err($0) }
      return .failed(exitCode: 1)
    }
    guard let port = PythonInteger.parse(connection.port) else {
      return crash("http.client.InvalidURL: nonnumeric port: '\(connection.port)'")
    }
    // Python reads a port of any length; the socket refuses it.
    guard (0...65535).contains(port) else {
      return crash("OverflowError: getsockaddrarg: port must be 0-65535.")
    }
    guard IPv4.isAddress(connection.ip) else {
      return crash("socket.gaierror: [Errno -2] Name or service not known", resolving: true)
    }
    if takeFault(.joinAgentTimeout, host: joiner.address, verb: .join) {
      return crash("TimeoutError: [Errno 110] Connection timed out")
    }
    if takeFault(.joinAgentUnreachable, host: joiner.address, verb: .join) {
      return crash("ConnectionRefusedError: [Errno 111] Connection refused")
    }
    guard let target = hostIndex(connection.ip), hosts[target].reachable else {
      return crash("OSError: [Errno 113] No route to host")
    }
    guard hosts[target].running, connection.port == String(Self.agentPort) else {
      return crash("ConnectionRefusedError: [Errno 111] Connection refused")
    }
    if let code = handshakeFailure(joiner.address, into: &transcript) {
      return .failed(exitCode: code)
    }
    guard verify, let fingerprint = connection.fingerprint else {
      return .reached(targetIndex: target)
    }
    return verifyCertificate(
      fingerprint,
      of: target,
      dialled: connection.ip,
      by: joiner.address,
      into: &transcript
    )
  }

  /// The TLS handshake and HTTP faults: caught by join.py, exit 4 and 5 (§3.5).
  private mutating func handshakeFailure(
    _ joiner: String,
    into transcript: inout Transcript
  )
    -> Int32?
  {
    if takeFault(.joinSSLError, host: joiner, verb: .join) {
      transcript.out(
        "Peer node verification failed with [SSL: WRONG_VERSION_NUMBER] wrong version number "
          + "(_ssl.c:1131)."
      )
      return 4
    }
    if takeFault(.joinHTTPException, host: joiner, verb: .join) {
      transcript.out(
        "Connecting to cluster failed with Remote end closed connection without response."
      )
      return 5
    }
    return nil
  }

  /// Compares the start of the agent's certificate hash with the fingerprint (§3.3 step 6).
  private mutating func verifyCertificate(
    _ fingerprint: String,
    of target: Int,
    dialled ip: String,
    by joiner: String,
    into transcript: inout Transcript
  ) -> Contact {
    let suffix = " Use '--skip-verify' to skip server certificate check."
    if fingerprint.count < Self.fingerprintMinimumLength {
      transcript.out("Joining cluster failed. Fingerprint too short." + suffix)
      return .failed(exitCode: 4)
    }
    if takeFault(.joinFingerprintMismatch, host: joiner, verb: .join)
      || !hosts[target].certificateHash.hasPrefix(fingerprint)
    {
      transcript.out("Joining cluster failed. Could not verify the identity of \(ip)." + suffix)
      return .failed(exitCode: 4)
    }
    return .reached(targetIndex: target)
  }

  /// What the joining side does with the agent's answer (§3.3 steps 10 to 12).
  private mutating func finishJoin(
    _ command: Command,
    target: Int,
    roleFlag: String?,
    into transcript: inout Transcript
  ) -> CommandOutcome {
    let index = command.hostIndex
    let address = hosts[index].address
    let success = hosts[index].release.isAtLeast(1, 29)
    switch roleFlag {
    case "--controlplane":
      // contract §3.6: the agent sent control-plane data to the worker code path.
      transcript.out(
        "Joining process failed. Make sure the cluster you connect to supports joining worker nodes."
      )
      return transcript.exit(1)
    case "--worker":
      if takeFault(.joinSignCertFailure, host: address, verb: .join) {
        transcript.out("Failed to sign proxy certificate (500). Invalid token")
        return transcript.exit(1)
      }
      completeWorkerJoin(joiner: index, target: target, now: command.now)
      Self.workerUsage.forEach { transcript.out($0) }
    default:
      transcript.write("Waiting for this node to finish joining the cluster. ")
      let frozen = clusterIndex(hosts[target].cluster).map { !hasQuorum(clusters[$0]) } ?? true
      // Without a voter majority the agent still answered 200 (canonical/microk8s #4555,
      // #4584): the joiner wipes its data, its dqlite never gets in, and join exits 0.
      if frozen || takeFault(.joinSilentTimeout, host: address, verb: .join) {
        // contract §3.3 step 10: ten failed dqlite queries, then exit 0 all the same.
        transcript.write(String(repeating: ".. ", count: 10))
        wipeForJoin(joiner: index, target: target, now: command.now)
      } else {
        completeControlPlaneJoin(joiner: index, target: target, now: command.now)
      }
      transcript.out(" ")
    }
    if success { transcript.out("Successfully joined the cluster.") }
    return transcript.exit(0)
  }

  static func capitalized(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.uppercased() + text.dropFirst()
  }

  static func lowMemoryJoin(_ connection: String) -> [String] {
    [
      "",
      "This node does not have enough RAM to host the Kubernetes control plane services",
      "and join the database quorum. You may consider joining this node as a worker instead:",
      "",
      "    microk8s join \(connection) --worker",
      "",
      "If you would still like to join the cluster as a control plane node, use:",
      "",
      "    microk8s join \(connection) --disable-low-memory-guard",
      "",
      "",
    ]
  }

  static let workerUsage = [
    "",
    "The node has joined the cluster and will appear in the nodes list in a few seconds.",
    "",
    "This worker node gets automatically configured with the API server endpoints.",
    "If the API servers are behind a loadbalancer please set the '--refresh-interval' to '0s' in:",
    "    /var/snap/microk8s/current/args/apiserver-proxy",
    "and replace the API server endpoints with the one provided by the loadbalancer in:",
    "    /var/snap/microk8s/current/args/traefik/provider.yaml",
    "",
  ]

  static let joinParser = Click(
    prog: "microk8s join",
    argument: "CONNECTION",
    flags: ["--worker", "--controlplane", "--skip-verify", "--disable-low-memory-guard"],
    helpOptions: ["-h", "--help"],
    help: [
      "Usage: microk8s join [OPTIONS] CONNECTION",
      "",
      "  Join the node to a cluster",
      "",
      "  CONNECTION: the cluster connection endpoint in format <master>:<port>/<token>",
      "",
      "Options:",
      "  --worker                    Join as a worker only node.",
      "  --controlplane              Join running the control plane on HA clusters.",
      "                              (default)",
      "  --skip-verify               Skip the certificate verification of the node we",
      "                              are joining to. (default: false)",
      "  --disable-low-memory-guard  Disable the low memory guard. (default: false)",
      "  -h, --help                  Show this message and exit.",
    ]
  )
}
