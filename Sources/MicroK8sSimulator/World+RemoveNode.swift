/// `microk8s remove-node NODE [--force]` (contract §5), run on a control-plane node.
extension World {
  mutating func removeNode(_ command: Command) -> CommandOutcome {
    var transcript = Transcript()
    if let failure = permissionFailure(command) { return failure }
    if hosts[command.hostIndex].mode == .worker {
      transcript.out(WrapperMessages.workerRemoveNode)
      return transcript.exit(1)
    }
    let arguments = command.arguments
    // The wrapper's own argument checks: `--force` must come after NODE.
    if arguments.isEmpty {
      transcript.out("Please provide the node you want to remove.")
      return transcript.exit(1)
    }
    if arguments.count == 2, arguments[1] != "--force" {
      transcript.out("Please provide the node and the optional --force flag.")
      return transcript.exit(1)
    }
    switch Self.removeNodeParser.parse(arguments) {
    case .exit(let outcome): return outcome
    case .values(let argument, let flags):
      let force = flags.contains("--force")
      return remove(argument ?? "", force: force, command, into: &transcript)
    }
  }

  /// `remove_dqlite_node`, after the wrapper's checks.
  ///
  /// Looks the node up through kubectl, refuses or evicts its dqlite entry, deletes the
  /// Node. Success prints nothing.
  private mutating func remove(
    _ name: String,
    force: Bool,
    _ command: Command,
    into transcript: inout Transcript
  ) -> CommandOutcome {
    let address = hosts[command.hostIndex].address
    let clusterIndex = clusterIndex(hosts[command.hostIndex].cluster)
    // kubectl answers only while this node's API server has a datastore with a leader.
    var apiError = kubectlFailure(
      command,
      clusterIndex: clusterIndex,
      fault: .removeNodeAPIUnavailable
    )
    // Without a dqlite leader kubectl's `get no` fails with dqlite's own error, which
    // remove_node.py takes for NotFound (upstream `scripts/wrappers/remove_node.py`).
    if apiError == WrapperMessages.apiTimeout { apiError = WrapperMessages.noDqliteLeader }
    guard let clusterIndex, apiError == nil else {
      return notInKubernetes(name, force: force, apiError: apiError, command, into: &transcript)
    }
    var node = name
    if IPv4.isAddress(name),
      let named = clusters[clusterIndex].nodes.first(where: { $0.internalIP == name })
    {
      node = named.name  // 1.28+: an IP names the node with that InternalIP
    }
    guard let nodeIndex = clusters[clusterIndex].nodeIndex(named: node) else {
      return notInKubernetes(node, force: force, apiError: nil, command, into: &transcript)
    }
    if takeFault(.removeNodeNoInternalIP, host: address, verb: .removeNode) {
      transcript.out("Node \(node) is not part of the cluster.")
      return transcript.exit(1)
    }
    let internalIP = clusters[clusterIndex].nodes[nodeIndex].internalIP
    // Only members other than this node are matched (contract §5: never the local node).
    let others = clusters[clusterIndex].members.filter { !isLocal($0, to: address) }
    if let entry = others.last(where: { $0.address.hasPrefix(internalIP + ":") }) {
      guard force else {
        Self.registeredWithDqlite(node).forEach { transcript.out($0) }
        return transcript.exit(1)
      }
      if takeFault(.removeNodeDqliteRemoveFailed, host: address, verb: .removeNode) {
        transcript.out("Contacting node \(DatastoreMember.address(of: address)) failed. Error:")
        transcript.out(Self.dqliteRemoveError(entry.address))
        return transcript.exit(2)
      }
      clusters[clusterIndex].members.removeAll { $0.address == entry.address }
      scheduleRebalance(clusterID: clusters[clusterIndex].id, now: command.now)
    }
    clusters[clusterIndex].nodes.remove(at: nodeIndex)
    collectOrphanedPods(clusterIndex: clusterIndex, now: command.now)
    return transcript.exit(0)
  }

  /// kubectl did not find the node (or could not ask): exit 1 whatever happens, and with
  /// `--force` a dqlite entry of another member at `NODE:` is removed (§5 step 1, the
  /// ghost case of §11.9).
  private mutating func notInKubernetes(
    _ node: String,
    force: Bool,
    apiError: String?,
    _ command: Command,
    into transcript: inout Transcript
  ) -> CommandOutcome {
    transcript.err(apiError ?? "Error from server (NotFound): nodes \"\(node)\" not found")
    transcript.out("Node \(node) does not exist in Kubernetes.")
    guard force else { return transcript.exit(1) }
    transcript.out("Attempting to remove \(node) from dqlite.")
    let local = hosts[command.hostIndex].address
    guard apiError == nil, let clusterIndex = clusterIndex(hosts[command.hostIndex].cluster) else {
      return transcript.exit(1)
    }
    let entries = clusters[clusterIndex].members.filter {
      $0.address.hasPrefix(node + ":") && !isLocal($0, to: local)
    }
    for entry in entries {
      transcript.out("Removing node entry found in dqlite.")
      clusters[clusterIndex].members.removeAll { $0.address == entry.address }
    }
    if !entries.isEmpty {
      scheduleRebalance(clusterID: clusters[clusterIndex].id, now: command.now)
    }
    return transcript.exit(1)
  }

  /// Whether a member is this host's own entry: its address or loopback (`get_dqlite_endpoints`).
  func isLocal(_ member: DatastoreMember, to address: String) -> Bool {
    member.address.hasPrefix(address + ":") || member.address.hasPrefix("127.0.0.1:")
  }

  /// The refusal without `--force`, trailing spaces included (contract §5, ISSUE #1127).
  static func registeredWithDqlite(_ node: String) -> [String] {
    [
      "Removal failed. Node \(node) is registered with dqlite. "
        + "Please, run first 'microk8s leave' on the departing node. ",
      "If the node is not available anymore and will never attempt to join the cluster "
        + "in the future use the '--force' flag ",
      "to unregister the node while removing it.",
    ]
  }

  /// `repr()` of the failed `dqlite .remove` subprocess.
  static func dqliteRemoveError(_ endpoint: String) -> String {
    "CalledProcessError(1, ['/snap/microk8s/current/bin/dqlite', 'k8s', '.remove \(endpoint)'])"
  }

  static let removeNodeParser = Click(
    prog: "microk8s remove-node",
    argument: "NODE",
    flags: ["--force"],
    helpOptions: ["--help"],
    help: [
      "Usage: microk8s remove-node [OPTIONS] NODE",
      "",
      "  Remove a node from the cluster",
      "",
      "Options:",
      "  --force  Force the node removal operation. (default: false)",
      "  --help   Show this message and exit.",
    ]
  )
}
