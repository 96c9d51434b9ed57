/// `microk8s ARGS...` on one host: the top-level wrapper and what every command shares.
extension World {
  /// Runs one MicroK8s command; the world changes as the real cluster would.
  public mutating func run(_ invocation: Invocation) -> CommandOutcome {
    settle(now: invocation.now)
    let address = invocation.host
    guard let index = hostIndex(address) else {
      return .simulatorError("no simulated host has the address \(address)", exitCode: 64)
    }
    let name = invocation.arguments.first
    let verb = name.flatMap(MicroK8sVerb.init(rawValue:))
    if let failure = shellFailure(hostIndex: index, verb: verb) { return failure }
    var transcript = Transcript()
    guard let name else {
      WrapperMessages.help().forEach { transcript.out($0) }
      return transcript.exit(1)
    }
    // `microk8s version` came with 1.25 (canonical/microk8s PR #3078): older wrappers
    // know no such subcommand.
    guard let verb, verb != .version || hosts[index].release.isAtLeast(1, 25) else {
      if ["help", "--help", "-h"].contains(name) {
        WrapperMessages.help().forEach { transcript.out($0) }
        return transcript.exit(0)
      }
      // contract §1: unknown subcommand
      transcript.out("'\(name)' is not a valid MicroK8s subcommand.")
      WrapperMessages.help().forEach { transcript.out($0) }
      return transcript.exit(1)
    }
    let command = Command(
      hostIndex: index,
      verb: verb,
      arguments: Array(invocation.arguments.dropFirst()),
      now: invocation.now,
      user: invocation.user
    )
    switch verb {
    case .addNode: return addNode(command)
    case .join: return join(command)
    case .leave: return leave(command)
    case .removeNode: return removeNode(command)
    case .status: return status(command)
    case .kubectl: return kubectl(command)
    case .version: return version(command)
    case .start, .stop: return startOrStop(command)
    case .snap: return snap(command)
    }
  }

  /// The host, its ssh daemon and the snap come before MicroK8s itself.
  private mutating func shellFailure(hostIndex index: Int, verb: MicroK8sVerb?) -> CommandOutcome? {
    let address = hosts[index].address
    if !hosts[index].reachable || takeFault(.sshUnreachable, host: address, verb: verb) {
      return CommandOutcome(
        stderr: "ssh: connect to host \(address) port 22: Connection refused\n",
        exitCode: 255
      )
    }
    if takeFault(.hang, host: address, verb: verb) {
      return CommandOutcome(exitCode: 0, pause: CommandOutcome.longestPause)
    }
    let program = verb == .snap ? "snap" : "microk8s"
    if takeFault(.notInstalled, host: address, verb: verb)
      || (!hosts[index].installed && verb != .snap)
    {
      return CommandOutcome(
        stderr: "bash: line 1: \(program): command not found\n",
        exitCode: 127
      )
    }
    if takeFault(.sudoPassword, host: address, verb: verb) {
      return CommandOutcome(stderr: "sudo: a password is required\n", exitCode: 1)
    }
    return nil
  }

  /// One command, resolved to its host.
  struct Command {
    var hostIndex: Int
    var verb: MicroK8sVerb
    var arguments: [String]
    var now: Double
    var user: String
  }

  /// `exit_if_no_permissions`: when the permissions fault fires, its output (contract §1).
  mutating func permissionFailure(_ command: Command) -> CommandOutcome? {
    let address = hosts[command.hostIndex].address
    guard takeFault(.permissionDenied, host: address, verb: command.verb) else { return nil }
    var transcript = Transcript()
    WrapperMessages.permissions(user: command.user).forEach { transcript.err($0) }
    return transcript.exit(1)
  }

  /// Whether MicroK8s counts as stopped for this command: stopped for real, or the
  /// `stopped` fault fires.
  mutating func isStopped(_ command: Command) -> Bool {
    let host = hosts[command.hostIndex]
    return !host.running || takeFault(.stopped, host: host.address, verb: command.verb)
  }

  /// `exit_if_not_root` on strict snaps, injected by `needs-sudo` (contract §2.2).
  mutating func notRootFailure(_ command: Command) -> CommandOutcome? {
    let address = hosts[command.hostIndex].address
    guard takeFault(.needsSudo, host: address, verb: command.verb) else { return nil }
    return CommandOutcome(stdout: WrapperMessages.notRoot + "\n", exitCode: 1)
  }

  /// `microk8s version` (contract §1, from 1.25 on): no wrapper checks at all.
  func version(_ command: Command) -> CommandOutcome {
    CommandOutcome(stdout: hosts[command.hostIndex].release.versionLine + "\n", exitCode: 0)
  }

  /// `microk8s start` / `stop`: the `stopped.lock` the other commands check (contract §1).
  mutating func startOrStop(_ command: Command) -> CommandOutcome {
    if let failure = permissionFailure(command) { return failure }
    let index = command.hostIndex
    let starting = command.verb == .start
    guard hosts[index].running != starting else { return CommandOutcome(exitCode: 0) }
    hosts[index].running = starting
    if starting {
      restartKubelet(hostIndex: index, now: command.now)
    } else if hosts[index].reachable {
      hosts[index].silentSince = command.now
    }
    scheduleRebalance(clusterID: hosts[index].cluster, now: command.now)
    return CommandOutcome(stdout: starting ? "" : "Stopped.\n", exitCode: 0)
  }

  /// The host's kubelet starts again: its Node is NotReady for the ready delay.
  ///
  /// A kubelet registers its Node when it starts, so a Node deleted while the host ran
  /// (`kubectl delete node`) comes back under the host's name (Kubernetes
  /// pkg/kubelet/kubelet_node_status.go, `registerWithAPIServer`, run until the first
  /// registration succeeds).
  mutating func restartKubelet(hostIndex: Int, now: Double) {
    hosts[hostIndex].silentSince = nil
    let host = hosts[hostIndex]
    guard let clusterIndex = clusterIndex(host.cluster) else { return }
    var registered = false
    for nodeIndex in clusters[clusterIndex].nodes.indices
    where clusters[clusterIndex].nodes[nodeIndex].host == host.address {
      clusters[clusterIndex].nodes[nodeIndex].readyAt = now + settings.readyDelay
      registered = true
    }
    guard !registered else { return }
    // The control plane's release decides whether the kubelet can ever turn Ready.
    let controlPlane = clusters[clusterIndex].members.first.flatMap { self.hostIndex($0.host) }
    clusters[clusterIndex].register(
      KubernetesNode(
        name: host.nodeName,
        host: host.address,
        internalIP: host.address,
        worker: host.mode == .worker,
        kubeletVersion: host.release.kubeletVersion,
        createdAt: now,
        readyAt: now + settings.readyDelay,
        neverReady: controlPlane.map { !host.release.sameMinor(as: hosts[$0].release) } ?? false
      )
    )
  }
}
