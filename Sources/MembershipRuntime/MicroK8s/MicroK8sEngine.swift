import MembershipCore
import Synchronization

/// Runs the MicroK8s CLI on the topology's nodes, one command each call, with the exact
/// arguments of microk8s-contract.md section 12, and parses what comes back
/// (`MicroK8sOutput`).
///
/// Every failure is an `EngineError` naming the node, the command (token redacted), what
/// happened and what to do. The engine holds no memory of the cluster: it runs what it
/// is asked and reports what it saw.
public struct MicroK8sEngine: Sendable {
  /// How long each kind of command may run before its process tree is killed.
  public struct Timeouts: Sendable, Equatable {
    /// Reads (`status`, `kubectl get`) get `policy.readTimeout`: `status` can take about
    /// 90 s when dqlite is unhealthy (contract section 11, pitfall 18), and a contact
    /// that slow is better passed over for the next one than waited for on every pass.
    public var observe: Duration
    /// `version` reads a file: it is quick or the host is in trouble.
    public var version: Duration
    public var addNode: Duration = .seconds(60)
    public var join: Duration
    public var leave: Duration
    public var removeNode: Duration = .seconds(120)

    public init(policy: Policy) {
      join = policy.joinTimeout
      leave = policy.leaveTimeout
      observe = policy.readTimeout
      version = policy.readTimeout
    }
  }

  public let topology: Topology
  public var timeouts: Timeouts
  private let transport: @Sendable (NodeSpec) -> any Transport
  private let counter = CommandCounter()

  /// An engine reaching each node through the transport its `connection.type` names.
  public init(topology: Topology, transports: TransportFactory) {
    self.init(topology: topology) { transports.transport(for: $0) }
  }

  /// An engine reaching nodes through `transport`, for tests.
  public init(
    topology: Topology,
    transport: @escaping @Sendable (NodeSpec) -> any Transport
  ) {
    self.topology = topology
    self.timeouts = Timeouts(policy: topology.policy)
    self.transport = transport
  }

  /// How many commands this engine (and its copies) has run: what a converged pass
  /// costs (DESIGN.md section 3: two).
  public var commandsRun: Int { counter.value }

  // MARK: Reading

  /// `status --format yaml` (contract section 6).
  public func status(of node: NodeSpec) async throws(EngineError) -> StatusReport {
    let output = try await run(["status", "--format", "yaml"], on: node, timeout: timeouts.observe)
    return try parse(output, node, ["status", "--format", "yaml"]) {
      output throws(MicroK8sFailure) in
      try MicroK8sOutput.status(output)
    }
  }

  /// `kubectl get nodes -o json` (contract section 7); a worker cannot answer it.
  public func nodes(on node: NodeSpec) async throws(EngineError) -> [ObservedNode] {
    try await list(["kubectl", "get", "nodes", "-o", "json"], on: node).nodes
  }

  /// `kubectl get nodes,namespaces -o json`.
  ///
  /// The nodes and, from the `kube-system` namespace's UID, the cluster's identity (`NodeListing`),
  /// in the one command an observation reads the nodes with anyway. A worker cannot answer it.
  public func listing(on node: NodeSpec) async throws(EngineError) -> ClusterListing {
    try await list(["kubectl", "get", "nodes,namespaces", "-o", "json"], on: node)
  }

  private func list(
    _ arguments: [String],
    on node: NodeSpec
  ) async throws(EngineError) -> ClusterListing {
    let output = try await run(arguments, on: node, timeout: timeouts.observe)
    let listing = try parse(output, node, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.nodes(output)
    }
    guard case .nodes(let nodes, let identity) = listing else {
      throw error(node, arguments, .microK8s(.workerNode(command: "kubectl")))
    }
    return ClusterListing(nodes: nodes, identity: identity)
  }

  /// `kubectl get lease NAME -n kube-node-lease -o json`: when the kubelet of the node
  /// named `name` last renewed its heartbeat (seconds since the epoch), or nil when it
  /// never did.
  public func leaseRenewal(of name: String, on node: NodeSpec) async throws(EngineError) -> Double?
  {
    let arguments = ["kubectl", "get", "lease", name, "-n", "kube-node-lease", "-o", "json"]
    let output = try await run(arguments, on: node, timeout: timeouts.observe)
    return try parse(output, node, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.leaseRenewal(output)
    }
  }

  /// `version` (contract section 1).
  public func version(of node: NodeSpec) async throws(EngineError) -> MicroK8sVersion {
    let output = try await run(["version"], on: node, timeout: timeouts.version)
    return try parse(output, node, ["version"]) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.version(output)
    }
  }

  /// `kubectl wait --for=condition=Ready node/NAME --timeout=Ns` on `node`.
  ///
  /// It waits on the API server's watch, so it answers the moment the node turns Ready
  /// rather than at the next poll. False when the time ran out or the Node is not
  /// registered yet.
  public func waitUntilReady(
    _ name: String,
    on node: NodeSpec,
    timeout: Duration
  ) async throws(EngineError) -> Bool {
    let seconds = max(1, timeout.components.seconds)
    let arguments = [
      "kubectl", "wait", "--for=condition=Ready", "node/\(name)", "--timeout=\(seconds)s",
    ]
    // The command's own limit, plus room for kubectl to report the timeout itself.
    let output = try await run(
      arguments,
      on: node,
      timeout: .seconds(seconds) + timeouts.observe
    )
    return try parse(output, node, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.nodeReady(output)
    }
  }

  // MARK: Changing

  /// `add-node --token T --token-ttl N --format token-check` on the contact; returns the
  /// contact's certificate fingerprint for the join URL (contract sections 2.3, 12).
  public func mintToken(
    _ token: JoinToken,
    ttl: Duration,
    on contact: NodeSpec
  ) async throws(EngineError) -> String {
    let seconds = String(max(1, ttl.components.seconds))
    let arguments = [
      "add-node", "--token", token.secret, "--token-ttl", seconds, "--format", "token-check",
    ]
    let output = try await run(
      arguments,
      on: contact,
      timeout: timeouts.addNode,
      secrets: [token.secret]
    )
    return try parse(output, contact, arguments, secrets: [token.secret]) {
      output throws(MicroK8sFailure) in
      try MicroK8sOutput.fingerprint(output, expectedToken: token.secret)
    }
  }

  /// `join IP:25000/TOKEN/FINGERPRINT [--worker]` on the joining node; a control-plane
  /// join takes no role flag (`--controlplane` is broken, contract section 3.6).
  ///
  /// Exit 0 is not proof of membership (contract section 3.3): observe afterwards.
  public func join(
    _ node: NodeSpec,
    contact: NodeAddress,
    token: JoinToken,
    fingerprint: String,
    asWorker: Bool
  ) async throws(EngineError) -> JoinReport {
    var arguments = ["join", "\(contact.withPort(25000))/\(token.secret)/\(fingerprint)"]
    if asWorker { arguments.append("--worker") }
    let output = try await run(
      arguments,
      on: node,
      timeout: timeouts.join,
      secrets: [token.secret]
    )
    return try parse(output, node, arguments, secrets: [token.secret]) {
      output throws(MicroK8sFailure) in
      try MicroK8sOutput.join(output)
    }
  }

  /// `leave` on the departing node (contract section 4).
  public func leave(_ node: NodeSpec) async throws(EngineError) {
    let output = try await run(["leave"], on: node, timeout: timeouts.leave)
    try parse(output, node, ["leave"]) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.leave(output)
    }
  }

  /// `remove-node TARGET [--force]` on the contact.
  ///
  /// `--force` goes after the target (contract section 5). `target` is a node name, or
  /// a ghost's IP.
  public func removeNode(
    _ target: String,
    force: Bool,
    on contact: NodeSpec
  ) async throws(EngineError) -> RemoveNodeOutcome {
    let arguments = ["remove-node", target] + (force ? ["--force"] : [])
    let output = try await run(arguments, on: contact, timeout: timeouts.removeNode)
    return try parse(output, contact, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.removeNode(output)
    }
  }

  // MARK: Running

  /// Runs `microk8s <arguments>` on `node` and returns its output, whatever its exit.
  func run(
    _ arguments: [String],
    on node: NodeSpec,
    timeout: Duration,
    secrets: [String] = []
  ) async throws(EngineError) -> CommandOutput {
    try await run(
      TransportFactory.microk8s(arguments, on: node),
      display: display(arguments, secrets: secrets),
      on: node,
      timeout: timeout,
      secrets: secrets
    )
  }

  /// Runs `argv` on `node`, shown as `display`, and returns its output, whatever its exit.
  func run(
    _ argv: [String],
    display: String,
    on node: NodeSpec,
    timeout: Duration,
    secrets: [String] = []
  ) async throws(EngineError) -> CommandOutput {
    let invocation = Invocation(argv, display: display, timeout: timeout, secrets: secrets)
    counter.increment()
    do {
      let result = try await transport(node).run(invocation)
      let exit: Int32
      switch result.status {
      case .exited(let code): exit = code
      // A signal is not an answer from MicroK8s; 128+N as a shell reports it.
      case .signaled(let signal): exit = 128 + signal
      }
      return CommandOutput(
        exitStatus: exit,
        stdout: result.standardOutput,
        stderr: result.standardError
      )
    } catch {
      throw EngineError(host: node.name, command: invocation.display, cause: .transport(error))
    }
  }

  func parse<Value>(
    _ output: CommandOutput,
    _ node: NodeSpec,
    _ arguments: [String],
    secrets: [String] = [],
    _ parser: (CommandOutput) throws(MicroK8sFailure) -> Value
  ) throws(EngineError) -> Value {
    do {
      return try parser(output)
    } catch {
      throw self.error(node, arguments, .microK8s(error), secrets: secrets)
    }
  }

  func error(
    _ node: NodeSpec,
    _ arguments: [String],
    _ cause: EngineError.Cause,
    secrets: [String] = []
  ) -> EngineError {
    EngineError(
      host: node.name,
      command: display(arguments, secrets: secrets),
      cause: cause,
      track: topology.cluster.version
    )
  }

  /// `microk8s join 10.0.0.1:25000/<token>/ab12…`: what messages show.
  private func display(_ arguments: [String], secrets: [String]) -> String {
    Redaction.redact((["microk8s"] + arguments).joined(separator: " "), secrets: secrets)
  }
}

/// Counts commands across copies of an engine (it is a value, shared by tasks).
private final class CommandCounter: Sendable {
  private let count = Mutex(0)

  func increment() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}
