import MembershipCore

/// Observe, plan, carry out at most one change, observe again, until nothing is left
/// to do but what is blocked (DESIGN.md section 5).
///
/// Level-triggered: every pass starts from what the cluster shows, never from memory of
/// earlier passes, so a crash or a restart loses nothing that observation cannot
/// recover. Memory is only used to give up: a change that keeps failing, or keeps coming
/// back after it seemed done, stops the run instead of looping.
public struct Reconciler: Sendable {
  public var observer: ClusterObserver
  /// Where the cluster's identity is recorded: every pass is checked against it, and
  /// the identity a pass establishes is recorded there (`IdentityRecord`).
  public var identityRecord: IdentityRecord?
  public let executor: Executor
  public var options: Planner.Options
  /// How many times one change may be tried before the run stops.
  public var maxAttempts = 3
  /// The wait before the second attempt; it doubles for each later one.
  public var backoff: Duration = .seconds(2)
  /// Asked between changes (never during one): true stops the run cleanly.
  public var shouldStop: @Sendable () -> Bool = { false }
  /// The changes the operator approved; nil approves the first pass's plan.
  ///
  /// A later pass that plans any other change stops the run before starting it.
  public var approval: Approval?

  public init(executor: Executor, options: Planner.Options = Planner.Options()) {
    var lazy = ClusterObserver(engine: executor.engine)
    lazy.probeScope = .firstJoinable
    self.observer = lazy
    self.executor = executor
    self.options = options
  }

  public enum Event: Sendable {
    /// A pass observed the cluster and planned: `pass` counts from 1.
    case planned(Plan, pass: Int, problems: [EngineError], notes: [String])
    /// The change about to run; `number` counts the changes of this run from 1.
    case changeStarted(Change, number: Int, attempt: Int)
    case execution(ExecutionEvent)
    case changeFinished(Change, number: Int)
    /// A transient failure; the change will be tried again after `delay`.
    case retrying(ExecutionError, attempt: Int, delay: Duration)
  }

  public struct Outcome: Sendable {
    /// The changes carried out, in order.
    public var applied: [Change]
    /// The last plan: empty when converged, else what is blocked (or left undone).
    public var plan: Plan?
    public var failure: Failure?
    /// The run stopped between changes because `shouldStop` said so.
    public var stopped: Bool
    /// How many changes were approved: more than `applied` when the cluster needed
    /// fewer than the plan showed.
    public var approvedCount = 0

    /// Converged: nothing left to do and nothing blocked.
    public var converged: Bool { failure == nil && !stopped && (plan?.isEmpty ?? false) }
  }

  public enum Failure: Sendable, CustomStringConvertible {
    /// The cluster could not be read.
    case unobservable(String)
    /// The plan refuses the whole file (every member removed, none named, more than
    /// maxRemovals): nothing was changed.
    case refused([BlockedChange])
    /// A change failed for good, or kept failing.
    case execution(ExecutionError, attempts: Int)
    /// A change still showed up after it had been carried out `attempts` times.
    case noProgress(Change, attempts: Int)
    /// A pass planned changes nobody approved; none of them was started.
    case unapproved([Change])

    public var description: String {
      switch self {
      case .unobservable(let reason): return reason
      case .refused(let blocked):
        return "the plan is refused as a whole, so nothing was changed:\n"
          + blocked.map { "  \($0.node): \($0.reason)" }.joined(separator: "\n")
      case .execution(let error, let attempts):
        let tries = attempts == 1 ? "" : " (after \(attempts) attempts)"
        return "\(error)\(tries)"
      case .noProgress(let change, let attempts):
        return "\(change.action.rawValue) \(change.node) was carried out \(attempts) times, "
          + "yet the cluster still needs it; something outside mktopo undoes it, or "
          + "MicroK8s reports success without effect. Check the node before running again."
      case .unapproved(let changes):
        let what =
          changes.count == 1
          ? "a change that was not approved, so it was not started"
          : "\(changes.count) changes that were not approved, so none of them was started"
        return "the cluster now needs \(what):\n"
          + changes.map { "  " + PlanRenderer.title($0) }.joined(separator: "\n")
      }
    }
  }

  private func plan(_ observation: ClusterObserver.Observation) -> Plan {
    Planner.plan(
      desired: executor.engine.topology,
      observed: observation.cluster,
      fingerprint: observation.cluster.fingerprint,
      options: options
    )
  }

  private func observe(_ observer: ClusterObserver) async -> ClusterObserver.Observation {
    guard let identityRecord else { return await observer.observe() }
    return await observer.observe(recordingIn: identityRecord)
  }

  /// Runs until converged, blocked, failed or stopped.
  ///
  /// - Parameter first: an observation to plan the first pass from instead of observing
  ///   again: the one whose plan the operator confirmed, so that the first change made
  ///   is the first change shown.
  public func run(
    startingFrom first: ClusterObserver.Observation? = nil,
    report: @Sendable (Event) -> Void
  ) async -> Outcome {
    var first = first
    var approval = self.approval
    var outcome = Outcome(applied: [], plan: nil, failure: nil, stopped: false)
    outcome.approvedCount = approval?.count ?? 0
    var attempts: [String: Int] = [:]
    var pass = 0
    while true {
      if shouldStop() {
        outcome.stopped = true
        return outcome
      }
      pass += 1
      let given = first
      first = nil
      var observation: ClusterObserver.Observation
      if let given { observation = given } else { observation = await observe(observer) }
      var plan = self.plan(observation)
      // The pass probed only up to the next join. When the next change is not a join
      // (or there is none), the nodes it did not probe may come first or be what is
      // blocked: look at all of them, so the plan is the one `mktopo plan` shows. So
      // does the pass whose plan is the one approved, and one that finds a change not
      // approved, to name every such change.
      let lazy = given == nil && observer.probeScope != .all
      if lazy, observation.unreadable == nil,
        approval == nil || plan.changes.first?.action != .join
          || approval?.approves(plan.changes[0]) == false
      {
        var full = observer
        full.probeScope = .all
        observation = await observe(full)
        plan = self.plan(observation)
      }
      if let unreadable = observation.unreadable {
        outcome.failure = .unobservable(unreadable)
        return outcome
      }
      outcome.plan = plan
      report(
        .planned(plan, pass: pass, problems: observation.problems, notes: observation.notes)
      )
      let refusals = plan.blocked.filter(\.stopsApply)
      if !refusals.isEmpty {
        outcome.failure = .refused(refusals)
        return outcome
      }
      if approval == nil {
        approval = Approval(plan.changes)
        outcome.approvedCount = plan.changes.count
      }
      if let unapproved = approval?.unapproved(in: plan.changes), !unapproved.isEmpty {
        outcome.failure = .unapproved(unapproved)
        return outcome
      }
      guard let change = plan.changes.first else { return outcome }
      // An upgrade is one change per minor version: each counts its own attempts.
      let key =
        "\(change.action.rawValue) \(change.node)" + (change.version.map { " \($0.track)" } ?? "")
      let attempt = attempts[key, default: 0] + 1
      attempts[key] = attempt
      if attempt > maxAttempts {
        outcome.failure = .noProgress(change, attempts: maxAttempts)
        return outcome
      }
      let number = outcome.applied.count + 1
      report(.changeStarted(change, number: number, attempt: attempt))
      do throws(ExecutionError) {
        try await executor.execute(change) { report(.execution($0)) }
        outcome.applied.append(change)
        report(.changeFinished(change, number: number))
      } catch {
        guard error.isTransient, attempt < maxAttempts, !shouldStop() else {
          outcome.failure = .execution(error, attempts: attempt)
          return outcome
        }
        let delay = backoff * (1 << (attempt - 1))
        report(.retrying(error, attempt: attempt, delay: delay))
        try? await Task.sleep(for: delay)
      }
    }
  }
}
