/// The evictions of one drain, worked out attempt by attempt as kubectl makes them
/// (pkg/drain/drain.go `evictPods`): every pod is tried at once; an eviction its budget
/// refuses (429) is tried again 5 s later, after a fresh "evicting pod" line, until the
/// timeout is seen at the start of an attempt.
///
/// An evicted ReplicaSet pod gets a replacement on the first schedulable Ready node, which
/// counts for its budget once Ready, `World.replacementStart` later (none: it stays
/// Pending and never counts).
struct Eviction {
  struct Result {
    var pod: SimulatedPod
    /// Attempts begun: each printed "evicting pod".
    var tries = 0
    /// Attempts the budget refused: each printed "will retry after 5s".
    var refusals = 0
    var evicted = false
  }

  private(set) var pods: [SimulatedPod]
  private let budgets: [DisruptionBudget]
  /// Schedulable, Ready nodes, in the cluster's order.
  private let targets: [String]
  private let now: Double
  /// Simulated seconds from the first attempt to the last.
  private(set) var elapsed = 0.0

  init(pods: [SimulatedPod], budgets: [DisruptionBudget], targets: [String], now: Double) {
    self.pods = pods
    self.budgets = budgets
    self.targets = targets
    self.now = now
  }

  /// Evicts `candidates` with kubectl's `--timeout` (0: no limit, simulated for an hour).
  mutating func evict(_ candidates: [SimulatedPod], timeout: Double) -> [Result] {
    var results = candidates.map { Result(pod: $0) }
    let limit = timeout > 0 ? timeout : 3600
    var time = 0.0
    while true {
      var refused = false
      var timedOut = false
      for index in results.indices where !results[index].evicted {
        results[index].tries += 1
        if time > 0, time >= limit {
          timedOut = true
          continue
        }
        if allows(results[index].pod, at: now + time) {
          remove(results[index].pod, at: now + time)
          results[index].evicted = true
        } else {
          results[index].refusals += 1
          refused = true
        }
      }
      if !refused || timedOut {
        elapsed = time
        return results
      }
      time += World.evictionRetry
    }
  }

  /// Whether every budget selecting the pod keeps `minAvailable` Ready pods without it.
  private func allows(_ pod: SimulatedPod, at time: Double) -> Bool {
    guard let app = pod.app else { return true }
    let ready = pods.filter {
      $0.namespace == pod.namespace && $0.app == app && $0.isReady(at: time)
    }.count
    return budgets.allSatisfy { budget in
      budget.namespace != pod.namespace || budget.app != app || ready - 1 >= budget.minAvailable
    }
  }

  private mutating func remove(_ pod: SimulatedPod, at time: Double) {
    pods.removeAll { $0.namespace == pod.namespace && $0.name == pod.name }
    guard pod.owner == .replicaSet else { return }
    let node = targets.first { $0 != pod.node }
    pods.append(World.replacement(of: pod, among: pods, on: node, at: time))
  }
}
