/// `microk8s kubectl wait --for=condition=Ready node/NAME --timeout=DURATION`: upstream
/// kubectl's wait on a Node (not MicroK8s-specific; the contract's section 7 notes that
/// readiness is the Node's `Ready` condition). Like `status --wait-ready`, the answer
/// is worked out now and given after the pause it would take.
extension World {
  /// The kubectl wait of `command`, or nil when its arguments are not a wait.
  mutating func kubectlWait(_ command: Command, clusterIndex: Int) -> CommandOutcome? {
    guard command.arguments.first == "wait" else { return nil }
    var transcript = Transcript()
    var target: String?
    var condition: String?
    var timeout = 30.0  // kubectl's default
    for argument in command.arguments.dropFirst() {
      if argument.hasPrefix("--for=") {
        condition = String(argument.dropFirst("--for=".count))
      } else if argument.hasPrefix("--timeout="),
        let seconds = Self.seconds(String(argument.dropFirst("--timeout=".count)))
      {
        timeout = seconds
      } else if argument.hasPrefix("node/") || argument.hasPrefix("nodes/") {
        target = String(argument.split(separator: "/", maxSplits: 1)[1])
      } else {
        return .simulatorError("'kubectl wait \(argument)' is not simulated", exitCode: 1)
      }
    }
    guard let name = target, condition == "condition=Ready" else {
      return .simulatorError("kubectl wait: only --for=condition=Ready node/NAME", exitCode: 1)
    }
    let cluster = clusters[clusterIndex]
    guard let node = cluster.nodes.first(where: { $0.name == name }) else {
      transcript.err("Error from server (NotFound): nodes \"\(name)\" not found")
      return transcript.exit(1)
    }
    let now = command.now
    if readiness(of: node, in: cluster, at: now) == .ready {
      transcript.out("node/\(name) condition met")
      return transcript.exit(0)
    }
    // Ready later only if its host stays up and the delay runs out within the timeout.
    let readyAt = node.readyAt
    if !node.neverReady, readyAt > now, readyAt - now <= timeout,
      readiness(of: node, in: cluster, at: readyAt) == .ready
    {
      settle(now: readyAt)
      transcript.out("node/\(name) condition met")
      return transcript.exit(0, pause: readyAt - now)
    }
    transcript.err("error: timed out waiting for the condition on nodes/\(name)")
    return transcript.exit(1, pause: timeout)
  }

  /// A duration as kubectl reads one (Go's `time.ParseDuration`), in seconds.
  ///
  /// `600s`, `2m`, `5m0s`, `1h30m`, `500ms`, `2.5s`, or a bare number of seconds; nil when
  /// malformed.
  static func seconds(_ text: String) -> Double? {
    if let bare = Double(text) { return bare }
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    var rest = Substring(text)
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      rest = rest.dropFirst(number.count)
      guard let value = Double(number),
        let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) })
      else { return nil }
      rest = rest.dropFirst(unit.count)
      total += value * scale
    }
    return text.isEmpty ? nil : total
  }
}
