import Logging
import MembershipCore

/// The part of a reconcile pass that reaches the cluster: observe, plan, and carry the
/// plan out as `apply` does, logging each change and recording each step in the journal.
struct PassExecution: Sendable {
  var engine: MicroK8sEngine
  var journal: Journal
  var options: Planner.Options
  var logger: Logger
  var shouldStop: @Sendable () -> Bool

  /// The cluster's identity, kept beside the journal.
  var identityRecord: IdentityRecord {
    IdentityRecord(stateDirectory: journal.stateDirectory, cluster: journal.cluster)
  }

  /// Fills the report's outcome, drift, plan and changes; returns the first plan.
  func converge(report: inout PassReport, apply: Bool) async -> Plan? {
    let interrupted = apply ? journal.read() : nil
    if let interrupted {
      logger.notice(
        "a previous run stopped during a change; observing the cluster to carry on",
        metadata: [
          "change": "\(interrupted.action) \(interrupted.node)",
          "step": "\(interrupted.stepIndex)/\(interrupted.stepCount) \(interrupted.verb)",
          "host": "\(interrupted.host)", "since": "\(interrupted.startedAt)",
        ]
      )
      // Reported, and nothing else is in flight while this pass holds the lock.
      try? journal.clear()
    }
    var observer = ClusterObserver(engine: engine)
    observer.adoptsAnotherIdentity = options.allowForeignTopology
    var observation = await observer.observe(recordingIn: identityRecord)
    for problem in observation.problems {
      logger.warning("observation problem", metadata: ["detail": "\(problem)"])
    }
    if let unreadable = observation.unreadable {
      report.outcome = .unobservable
      report.message = unreadable
      return nil
    }
    if apply {
      switch await finishInterruptedJoin(interrupted, observation.cluster) {
      case .nothingToFinish: break
      case .finished:
        // The node was not Ready when observed: plan from what the cluster shows now.
        observer.adoptsAnotherIdentity = false
        observation = await observer.observe(recordingIn: identityRecord)
        if let unreadable = observation.unreadable {
          report.outcome = .unobservable
          report.message = unreadable
          return nil
        }
      case .stillNotReady(let node, let waited):
        report.outcome = .failed
        report.message =
          "\(node) joined in an interrupted run but is still not Ready after "
          + "\(TransportError.format(waited)) (policy.readyTimeout); check the node "
          + "('microk8s inspect' on it)."
        return nil
      }
    }
    let plan = Planner.plan(
      desired: engine.topology,
      observed: observation.cluster,
      fingerprint: observation.cluster.fingerprint,
      options: options
    )
    report.drift = plan.changes.count + plan.blocked.count
    report.planned = plan.changes.map(PlanRenderer.title) + plan.blocked.map(Self.title)
    for warning in plan.warnings {
      logger.warning("plan warning", metadata: ["detail": "\(warning)"])
    }
    guard apply else {
      report.outcome = plan.isEmpty ? .converged : .drift
      return plan
    }
    if plan.isEmpty || (!plan.changes.isEmpty && !plan.blocked.contains(where: \.stopsApply)) {
      // The pass takes this cluster as the file's: record it, if nothing is recorded yet.
      if let problem = identityRecord.adopt(observation.cluster) {
        logger.warning("identity not recorded", metadata: ["detail": "\(problem)"])
      }
    }
    await carryOut(plan, from: observation, report: &report)
    return plan
  }

  private func finishInterruptedJoin(
    _ interrupted: JournalEntry?,
    _ observed: ObservedCluster
  ) async -> InterruptedJoin.Result {
    await InterruptedJoin.finish(interrupted, observed: observed, engine: engine) {
      logger.notice("finishing the interrupted join", metadata: ["node": "\($0)"])
    }
  }

  private func carryOut(
    _ plan: Plan,
    from observation: ClusterObserver.Observation,
    report: inout PassReport
  ) async {
    if let refusal = plan.blocked.first(where: \.stopsApply) {
      report.outcome = .failed
      report.message = "nothing was changed: \(refusal.reason)"
      return
    }
    guard !plan.changes.isEmpty else {
      report.outcome = plan.blocked.isEmpty ? .converged : .blocked
      report.message = plan.blocked.isEmpty ? nil : Self.blockedMessage(plan.blocked)
      return
    }
    var reconciler = Reconciler(executor: Executor(engine: engine), options: options)
    reconciler.shouldStop = shouldStop
    reconciler.identityRecord = identityRecord
    // The first pass settled which cluster this is: every later pass reads that one.
    reconciler.observer.expectedIdentity = observation.cluster.identity
    let outcome = await reconciler.run(startingFrom: observation) { event in
      record(event)
    }
    try? journal.clear()
    report.applied = outcome.applied.map(PlanRenderer.title)
    if let failure = outcome.failure {
      switch failure {
      case .unobservable: report.outcome = .unobservable
      // Each pass carries out only the plan it made; the next pass plans the rest.
      case .unapproved: report.outcome = .stopped
      default: report.outcome = .failed
      }
      report.message = failure.description
      if case .unapproved = failure { report.message? += "\nThe next pass plans them." }
    } else if outcome.stopped {
      report.outcome = .stopped
      report.message = "stopped between changes, as asked"
    } else if let last = outcome.plan, !last.blocked.isEmpty {
      report.outcome = .blocked
      report.message = Self.blockedMessage(last.blocked)
    } else {
      report.outcome = .converged
    }
    // What is still different at the end: the drift gauge must fall to 0 once applied.
    if report.outcome == .converged {
      report.drift = 0
    } else if let last = outcome.plan {
      report.drift = last.changes.count + last.blocked.count
    }
  }

  /// Logs an event of the reconciler, and records each step in the journal before it
  /// runs, so that a run killed in the middle can be carried on.
  private func record(_ event: Reconciler.Event) {
    switch event {
    case .planned(let plan, let pass, _, _) where pass > 1:
      logger.debug("planned", metadata: ["changes": "\(plan.changes.count)"])
    case .planned:
      break
    case .changeStarted(let change, let number, let attempt):
      logger.info(
        "change started",
        metadata: [
          "change": "\(PlanRenderer.title(change))", "number": "\(number)",
          "attempt": "\(attempt)",
        ]
      )
    case .execution(.stepStarted(let change, let index, let step)):
      try? journal.record(step, index: index, of: change)
      logger.info(
        "step started",
        metadata: [
          "change": "\(change.action.rawValue) \(change.node)",
          "step": "\(index)/\(change.steps.count)", "verb": "\(step.verb.rawValue)",
          "host": "\(step.host)",
        ]
      )
    case .execution(.waiting(let change, _, let condition)):
      logger.info(
        "waiting",
        metadata: ["change": "\(change.action.rawValue) \(change.node)", "for": "\(condition)"]
      )
    case .execution(.stepFinished):
      break
    case .changeFinished(let change, let number):
      logger.info(
        "change finished",
        metadata: ["change": "\(PlanRenderer.title(change))", "number": "\(number)"]
      )
    case .retrying(let error, let attempt, let delay):
      logger.warning(
        "change failed; retrying",
        metadata: [
          "error": "\(error)", "attempt": "\(attempt)",
          "retry_in": "\(TransportError.format(delay))",
        ]
      )
    }
  }

  static func title(_ blocked: BlockedChange) -> String {
    "! \(blocked.action.rawValue) \(blocked.node) (blocked)"
  }

  private static func blockedMessage(_ blocked: [BlockedChange]) -> String {
    let count = blocked.count == 1 ? "1 change is" : "\(blocked.count) changes are"
    return "\(count) blocked:\n"
      + blocked.map { "  \($0.node): \($0.reason)" }.joined(separator: "\n")
  }
}
