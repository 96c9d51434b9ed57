/// `microk8s kubectl cordon|uncordon|drain NODE`: upstream kubectl's node maintenance
/// (kubernetes/kubectl pkg/cmd/drain/drain.go and pkg/drain/{drain,filters}.go), with its
/// messages, on the cluster's simulated pods and disruption budgets.
///
/// A drain cordons the node, then sorts its pods as kubectl's filters do (DaemonSet pods,
/// local storage, pods with no controller: errors unless the matching flag is given), then
/// evicts the rest. An eviction a budget refuses is retried every 5 s until `--timeout`;
/// a ReplicaSet's replacement pod starts on another schedulable node and counts for its
/// budget only once Ready, 5 s later. Like `kubectl wait`, the outcome is worked out now
/// and given after the time it would take; the node stays cordoned whatever happens.
extension World {
  struct DrainOptions {
    var ignoreDaemonSets = false
    var deleteEmptyDirData = false
    var force = false
    /// kubectl's default, 0, waits for ever.
    var timeout = 0.0
  }

  /// kubectl's eviction retry delay (`EvictErrorRetryDelay`).
  static let evictionRetry = 5.0
  /// How long a replacement pod takes to turn Ready, and count for its budget.
  static let replacementStart = 5.0

  mutating func kubectlMaintenance(_ command: Command, clusterIndex: Int) -> CommandOutcome? {
    guard let verb = command.arguments.first, ["cordon", "uncordon", "drain"].contains(verb) else {
      return nil
    }
    var options = DrainOptions()
    var names: [String] = []
    for argument in command.arguments.dropFirst() {
      switch argument {
      case "--ignore-daemonsets": options.ignoreDaemonSets = true
      case "--delete-emptydir-data": options.deleteEmptyDirData = true
      case "--force": options.force = true
      default:
        if argument.hasPrefix("--timeout="),
          let seconds = Self.seconds(String(argument.dropFirst("--timeout=".count)))
        {
          options.timeout = seconds
        } else if argument.hasPrefix("-") {
          return .simulatorError("'kubectl \(verb) \(argument)' is not simulated", exitCode: 1)
        } else {
          names.append(argument)
        }
      }
    }
    guard names.count == 1 else {
      return .simulatorError("kubectl \(verb): name exactly one node", exitCode: 1)
    }
    var transcript = Transcript()
    let name = names[0]
    guard let nodeIndex = clusters[clusterIndex].nodeIndex(named: name) else {
      transcript.err("Error from server (NotFound): nodes \"\(name)\" not found")
      return transcript.exit(1)
    }
    let cordon = verb != "uncordon"
    let already = clusters[clusterIndex].nodes[nodeIndex].unschedulable == cordon
    clusters[clusterIndex].nodes[nodeIndex].unschedulable = cordon
    transcript.out("node/\(name) \(already ? "already " : "")\(cordon ? "" : "un")cordoned")
    if !cordon { schedulePendingPods(clusterIndex: clusterIndex, now: command.now) }
    guard verb == "drain" else { return transcript.exit(0) }
    return drain(name, clusterIndex: clusterIndex, options, now: command.now, transcript)
  }

  private mutating func drain(
    _ name: String,
    clusterIndex: Int,
    _ options: DrainOptions,
    now: Double,
    _ transcript: Transcript
  ) -> CommandOutcome {
    var transcript = transcript
    let sorting = PodSorting(clusters[clusterIndex].pods.filter { $0.node == name }, options)
    // Errors end the drain before its warnings are printed (deleteOrEvictPodsSimple).
    if let error = sorting.error {
      return unableToDrain(name, error: error, pending: [], transcript)
    }
    if let warnings = sorting.warnings { transcript.err("Warning: \(warnings)") }
    let cluster = clusters[clusterIndex]
    let targets = schedulableNodes(clusterIndex: clusterIndex, now: now)
    var eviction = Eviction(
      pods: cluster.pods,
      budgets: cluster.budgets,
      targets: targets,
      now: now
    )
    let results = eviction.evict(sorting.deletable, timeout: options.timeout)
    clusters[clusterIndex].pods = eviction.pods
    for result in results {
      for _ in 0..<result.tries { transcript.out("evicting pod \(result.pod.qualifiedName)") }
      for _ in 0..<result.refusals {
        transcript.err(
          "error when evicting pods/\"\(result.pod.name)\" -n \"\(result.pod.namespace)\" "
            + "(will retry after 5s): Cannot evict pod as it would violate the pod's "
            + "disruption budget."
        )
      }
      if result.evicted { transcript.out("pod/\(result.pod.name) evicted") }
    }
    let refused = results.filter { !$0.evicted }.map(\.pod)
    guard !refused.isEmpty else {
      transcript.out("node/\(name) drained")
      return transcript.exit(0, pause: eviction.elapsed)
    }
    // kubectl's timeout is 0 for none: Go's largest duration.
    let limit =
      options.timeout > 0 ? Self.goDuration(options.timeout) : "2562047h47m16.854775807s"
    let errors = refused.map {
      "error when evicting pods/\"\($0.name)\" -n \"\($0.namespace)\": global timeout reached: \(limit)"
    }
    let pending = PodSorting(eviction.pods.filter { $0.node == name }, options).deletable
    var outcome = unableToDrain(name, error: Self.aggregate(errors), pending: pending, transcript)
    outcome.pause = options.timeout > 0 ? eviction.elapsed : 86_400
    return outcome
  }

  /// kubectl's report of a node it could not drain: the pods still there, the node, and
  /// the error again (`cmdutil.CheckErr`); exit 1.
  private func unableToDrain(
    _ name: String,
    error: String,
    pending: [SimulatedPod],
    _ transcript: Transcript
  ) -> CommandOutcome {
    var transcript = transcript
    if !pending.isEmpty {
      transcript.err("There are pending pods in node \"\(name)\" when an error occurred: \(error)")
      for pod in pending { transcript.err("pod/\(pod.name)") }
    }
    transcript.err(
      "error: unable to drain node \"\(name)\" due to error: \(error), continuing command..."
    )
    transcript.err("There are pending nodes to be drained:")
    transcript.err(" \(name)")
    transcript.err("error: \(error)")
    return transcript.exit(1)
  }

  /// Go's `utilerrors.NewAggregate(...).Error()`: one error as it is, more in brackets.
  static func aggregate(_ errors: [String]) -> String {
    errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
  }

  /// A duration as Go prints it: `2s`, `1m30s`, `5m0s`, `1h0m0s`, `500ms`.
  static func goDuration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    let whole = Int(seconds.rounded())
    let (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60)
    if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
    if minutes > 0 { return "\(minutes)m\(rest)s" }
    return "\(rest)s"
  }
}
