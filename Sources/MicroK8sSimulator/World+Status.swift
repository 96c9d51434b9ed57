/// `microk8s status` (contract §6).
extension World {
  mutating func status(_ command: Command) -> CommandOutcome {
    let index = command.hostIndex
    var transcript = Transcript()
    if let failure = permissionFailure(command) { return failure }
    if hosts[index].mode == .worker {
      // contract §1: two lines of text, exit 0, whatever the format asked for.
      WrapperMessages.workerStatus.forEach { transcript.out($0) }
      return transcript.exit(0)
    }
    if hosts[index].lowMemory {
      WrapperMessages.lowMemoryStatus.forEach { transcript.out($0) }
      return transcript.exit(1)
    }
    if isStopped(command) {
      // `exit_if_stopped` in Python: stdout and exit 0, unlike the other commands.
      transcript.out(WrapperMessages.stopped)
      return transcript.exit(0)
    }
    let values: [String: String]
    switch Self.statusParser.parse(command.arguments) {
    case .exit(let outcome): return outcome
    case .values(let parsed): values = parsed
    }
    let address = hosts[index].address
    let forcedDown = takeFault(.statusNotReady, host: address, verb: .status)
    var ready = !forcedDown && isReady(hostIndex: index, at: command.now)
    var pause = 0.0
    if values["--wait-ready"] != nil, !ready {
      let timeout = Double(values["--timeout"].flatMap(PythonInteger.parse) ?? 0)
      (ready, pause) = waitReady(
        hostIndex: index,
        from: command.now,
        timeout: timeout,
        forcedDown: forcedDown
      )
    }
    var members: [DatastoreMember] = []
    if let clusterIndex = clusterIndex(hosts[index].cluster), isAttached(hosts[index]),
      hasQuorum(clusters[clusterIndex]),
      !takeFault(.statusEmptyDatastore, host: address, verb: .status)
    {
      members = clusters[clusterIndex].members
    }
    Self.statusLines(values, ready: ready, members: members).forEach { transcript.out($0) }
    // Up to 1.27 status.py printed "not running" and exited 0 all the same; 1.28 added
    // `if not is_ready: sys.exit(1)` (upstream `scripts/wrappers/status.py`, branch 1.28).
    let failsWhenNotReady = hosts[index].release.isAtLeast(1, 28)
    return transcript.exit(ready || !failsWhenNotReady ? 0 : 1, pause: pause)
  }

  /// How long `--wait-ready` waits, and whether the node is ready by then.
  ///
  /// The answer is computed now and given after the pause, with the world settled at
  /// that time.
  private mutating func waitReady(
    hostIndex: Int,
    from now: Double,
    timeout: Double,
    forcedDown: Bool
  ) -> (ready: Bool, pause: Double) {
    if !forcedDown, let readyAt = readyTime(hostIndex: hostIndex, after: now),
      timeout <= 0 || readyAt - now <= timeout
    {
      settle(now: readyAt)
      return (true, readyAt - now)
    }
    // Waiting forever (no timeout) is bounded by the hour `hang` also uses.
    return (false, timeout > 0 ? timeout : CommandOutcome.longestPause)
  }

  /// The lines of the format asked for (`status.py`'s choice of print function).
  private static func statusLines(
    _ values: [String: String],
    ready: Bool,
    members: [DatastoreMember]
  ) -> [String] {
    let addons = ready ? Addon.defaults : []
    if let addon = values["--addon"], addon != "all" {
      return [addons.contains { $0.name == addon && $0.enabled } ? "enabled" : "disabled"]
    }
    switch values["--format"] {
    case "yaml": return StatusRenderer.yaml(ready: ready, members: members, addons: addons)
    case "short": return StatusRenderer.short(ready: ready, addons: addons)
    default:
      return values["--yaml"] != nil
        ? StatusRenderer.shortYAML(ready: ready, addons: addons)
        : StatusRenderer.pretty(ready: ready, members: members, addons: addons)
    }
  }

  /// `is_cluster_ready`: the API server answers and some node reports ` Ready `.
  func isReady(hostIndex: Int, at now: Double) -> Bool {
    let host = hosts[hostIndex]
    guard host.running, isAttached(host), let clusterIndex = clusterIndex(host.cluster) else {
      return false
    }
    let cluster = clusters[clusterIndex]
    return hasQuorum(cluster)
      && cluster.nodes.contains { readiness(of: $0, in: cluster, at: now) == .ready }
  }

  /// The first time after `now` at which the host would report ready, if any.
  func readyTime(hostIndex: Int, after now: Double) -> Double? {
    let host = hosts[hostIndex]
    guard let clusterIndex = clusterIndex(host.cluster) else { return nil }
    let cluster = clusters[clusterIndex]
    return cluster.nodes.map(\.readyAt).filter { $0 > now }.sorted()
      .first { isReady(hostIndex: hostIndex, at: $0) }
  }

  static let statusParser = Argparse(
    prog: "microk8s status",
    usage: [
      "usage: microk8s status [-h] [--format {pretty,yaml,short}] [-w] [-t TIMEOUT]",
      "                       [-a ADDON] [--yaml]",
    ],
    help: [
      "usage: microk8s status [-h] [--format {pretty,yaml,short}] [-w] [-t TIMEOUT]",
      "                       [-a ADDON] [--yaml]",
      "",
      "Microk8s cluster status check.",
      "",
      "optional arguments:",
      "  -h, --help            show this help message and exit",
      "  --format {pretty,yaml,short}",
      "                        print cluster and addon status, output can be in yaml,",
      "                        pretty or short",
      "  -w, --wait-ready      wait until the cluster is in ready state",
      "  -t TIMEOUT, --timeout TIMEOUT",
      "                        specify a timeout in seconds when waiting for the",
      "                        cluster to be ready.",
      "  -a ADDON, --addon ADDON",
      "                        check the status of an addon.",
      "  --yaml                DEPRECATED, use '--format yaml' instead",
    ],
    options: [
      .init(names: ["--format"], choices: ["pretty", "yaml", "short"]),
      .init(names: ["-w", "--wait-ready"], takesValue: false),
      .init(names: ["-t", "--timeout"], integer: true),
      .init(names: ["-a", "--addon"]),
      .init(names: ["--yaml"], takesValue: false),
    ]
  )
}
