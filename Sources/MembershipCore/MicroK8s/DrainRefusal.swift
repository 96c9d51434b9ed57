/// What `kubectl drain` could not do, read from its output (MicroK8sOutput.drain).
///
/// kubectl names pods as `namespace/name`. It refuses some pods outright unless given a
/// flag (mktopo passes `--ignore-daemonsets` and `--delete-emptydir-data`, never
/// `--force`), and retries an eviction a PodDisruptionBudget refuses until its timeout.
public struct DrainRefusal: Sendable, Equatable {
  /// Pods kubectl would not delete, with its reason (`Pods that declare no controller
  /// (use --force to override)`).
  public struct Unmovable: Sendable, Equatable {
    public var reason: String
    public var pods: [String]

    public init(reason: String, pods: [String]) {
      self.reason = reason
      self.pods = pods
    }
  }

  public var unmovable: [Unmovable]
  /// Pods whose eviction was still refused when the timeout ran out: a disruption budget
  /// that allows no disruption now.
  public var refusedEvictions: [String]
  /// The timeout as kubectl printed it (`5m0s`), when one ran out.
  public var timeout: String?
  /// Eviction errors of any other kind, as kubectl printed them.
  public var otherErrors: [String]
  /// The budgets that select the refused pods, with their figures, when they could be
  /// read (`MicroK8sOutput.blockingBudgets`).
  public var budgets: [String] = []

  public init(
    unmovable: [Unmovable] = [],
    refusedEvictions: [String] = [],
    timeout: String? = nil,
    otherErrors: [String] = []
  ) {
    self.unmovable = unmovable
    self.refusedEvictions = refusedEvictions
    self.timeout = timeout
    self.otherErrors = otherErrors
  }

  /// What the operator can do about each kind of refusal there was.
  public var advice: String {
    var advice: [String] = []
    if unmovable.contains(where: { $0.reason.contains("no controller") }) {
      advice.append(
        "Move or delete the pods without a controller by hand: nothing would recreate them "
          + "elsewhere."
      )
    }
    if !refusedEvictions.isEmpty {
      advice.append(
        "Relax the PodDisruptionBudget that covers the pods, or give the workload room to "
          + "move (more replicas, another schedulable Ready node)."
      )
    }
    if advice.isEmpty || (refusedEvictions.isEmpty && timeout != nil) {
      advice.append("If the pods only need longer to stop, raise policy.drainTimeout.")
    }
    return advice.joined(separator: " ")
  }

  /// One clause per kind of refusal, for the failure's summary.
  public var clauses: [String] {
    var clauses = unmovable.map {
      "it will not delete \($0.reason): \($0.pods.joined(separator: ", "))"
    }
    if !refusedEvictions.isEmpty {
      let pods = refusedEvictions.joined(separator: ", ")
      let budget =
        budgets.isEmpty
        ? "a disruption budget"
        : (budgets.count == 1 ? "the disruption budget " : "the disruption budgets ")
          + budgets.joined(separator: ", ")
      clauses.append(
        "\(budget) kept refusing the eviction of \(pods)"
          + (timeout.map { " until the \($0) timeout" } ?? "")
      )
    }
    clauses += otherErrors
    return clauses
  }
}
