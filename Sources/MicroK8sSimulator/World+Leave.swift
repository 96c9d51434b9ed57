/// `microk8s leave` (contract §4).
extension World {
  mutating func leave(_ command: Command) -> CommandOutcome {
    let index = command.hostIndex
    var transcript = Transcript()
    if isStopped(command) {
      transcript.err(WrapperMessages.stopped)
      return transcript.exit(1)
    }
    if let failure = notRootFailure(command) { return failure }
    if let failure = permissionFailure(command) { return failure }
    // 1.28+: a node that never clustered refuses (it used to wipe itself, ISSUE #4006):
    // the 1.27 wrapper refused only without both clustered.lock and args/k8s-dqlite,
    // which every dqlite node has (upstream `microk8s-resources/wrappers/
    // microk8s-leave.wrapper`, branches 1.27 and 1.28).
    let address = hosts[index].address
    let refusesUnclustered = hosts[index].release.isAtLeast(1, 28)
    if takeFault(.leaveNotClustered, host: address, verb: .leave)
      || (!hosts[index].clustered && refusesUnclustered)
    {
      transcript.out(WrapperMessages.notInCluster)
      return transcript.exit(1)
    }
    if case .exit(let outcome) = Self.leaveParser.parse(command.arguments) { return outcome }
    if hosts[index].mode == .worker {
      return leaveAsWorker(command, into: &transcript)
    }
    let clusterID = hosts[index].cluster
    if let clusterIndex = clusterIndex(clusterID), isAttached(hosts[index]),
      let refusal = leaveDatastore(command, clusterIndex: clusterIndex, into: &transcript)
    {
      return refusal
    }
    // contract §4 step 3: a new empty datastore at 127.0.0.1; the old cluster keeps the
    // Node object, which turns NotReady there until remove-node.
    transcript.out("Generating new cluster certificates.")
    startFreshDatastore(
      hostIndex: index,
      readyAt: command.now + settings.readyDelay,
      now: command.now
    )
    scheduleRebalance(clusterID: clusterID, now: command.now)
    transcript.out("Waiting for node to start.  ")
    return transcript.exit(0)
  }

  /// Takes the node's own entry out of the dqlite cluster, or refuses; `nil` when done.
  private mutating func leaveDatastore(
    _ command: Command,
    clusterIndex: Int,
    into transcript: inout Transcript
  ) -> CommandOutcome? {
    let address = hosts[command.hostIndex].address
    let cluster = clusters[clusterIndex]
    guard hasQuorum(cluster) else {
      // The `.cluster` query needs a leader; leave.py does not catch its failure.
      transcript.err(WrapperMessages.noDqliteLeader)
      let traceback = PythonTraceback.leaveQuery(
        revision: hosts[command.hostIndex].release.revision
      )
      traceback.lines.forEach { transcript.err($0) }
      return transcript.exit(1)
    }
    let voters = cluster.members.filter { $0.role == .voter }
    let isVoter = voters.contains { $0.host == address }
    if takeFault(.leaveOnlyVoter, host: address, verb: .leave)
      || (voters.count == 1 && isVoter && cluster.members.count > 1)
    {
      Self.onlyCopy.forEach { transcript.out($0) }
      return transcript.exit(3)
    }
    let own = cluster.members.first { $0.host == address }
    let others = cluster.members.filter { $0.host != address }
    if let own, !own.address.hasPrefix("127.0.0.1"), let first = others.first,
      takeFault(.leaveDqliteRemoveFailed, host: address, verb: .leave)
    {
      transcript.out("Contacting node \(first.address) failed. Error:")
      transcript.out(Self.dqliteRemoveError(own.address))
      return transcript.exit(2)
    }
    // leave.py stops this node's k8s-dqlite and sleeps 10 s before asking another member
    // to `.remove` it (`reset_current_dqlite_installation`), so the removal needs a leader
    // among the current voters with this one silent: leaving one of two voters, or with
    // another voter down, freezes the datastore and leaves this node's services stopped.
    let silentQuorum = DatastoreLeader.hasQuorum(cluster.members) {
      $0.host != address && isOnline($0, in: cluster)
    }
    if let own, !silentQuorum, let first = others.first {
      hosts[command.hostIndex].running = false
      hosts[command.hostIndex].silentSince = command.now
      transcript.out("Contacting node \(first.address) failed. Error:")
      transcript.out(Self.dqliteRemoveError(own.address))
      return transcript.exit(2)
    }
    // `delete_dqlite_node` needs another member to ask; alone, the entry is simply dropped
    // with the datastore.
    if !others.isEmpty {
      clusters[clusterIndex].members.removeAll { $0.host == address }
    }
    return nil
  }

  private mutating func leaveAsWorker(
    _ command: Command,
    into transcript: inout Transcript
  ) -> CommandOutcome {
    let index = command.hostIndex
    transcript.out("Configuring services.")
    transcript.out("Generating new cluster certificates.")
    if takeFault(.leaveNotInClusteringMode, host: hosts[index].address, verb: .leave) {
      transcript.out("Not in clustering mode.")
      return transcript.exit(2)
    }
    startFreshDatastore(
      hostIndex: index,
      readyAt: command.now + settings.readyDelay,
      now: command.now
    )
    transcript.out("Waiting for node to start.  ")
    return transcript.exit(0)
  }

  /// The exit-3 refusal of the only voter while others remain (contract §4 step 1).
  static let onlyCopy = [
    "This node currently holds the only copy of the Kubernetes database so it cannot leave the cluster.",
    "To remove this node you can either first remove all other nodes with 'microk8s remove-node' or",
    "form a highly available cluster by adding at least three nodes.",
  ]

  static let leaveParser = Click(
    prog: "microk8s leave",
    argument: nil,
    flags: [],
    helpOptions: ["-h", "--help"],
    help: [
      "Usage: microk8s leave [OPTIONS]",
      "",
      "  The node will depart from the cluster it is in.",
      "",
      "Options:",
      "  -h, --help  Show this message and exit.",
    ]
  )
}
