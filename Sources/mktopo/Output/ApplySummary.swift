import MembershipCore
import MembershipRuntime

/// The closing words of `apply`: what was done, what is left, and what to do next.
struct ApplySummary {
  var outcome: Reconciler.Outcome
  var elapsed: Duration

  var text: String {
    let done = doneText
    if let failure = outcome.failure {
      switch failure {
      case .refused, .unobservable:
        return "Nothing more was changed (\(done)):\n\(failure)\n"
      case .unapproved:
        return "Apply stopped after \(done): \(failure)\n"
          + "Nothing was left half done. Review them with 'mktopo plan', then run apply "
          + "again to approve them.\n"
      case .execution(let error, _) where error.restoration != nil:
        return "Apply failed after \(done):\n\(failure)\n"
          + "Run apply again to carry on from what the cluster shows, once the cause is "
          + "fixed.\n"
      case .execution, .noProgress:
        return "Apply failed after \(done):\n\(failure)\n"
          + "The cluster is as the last finished step left it; run apply again to carry on "
          + "from what the cluster shows, once the cause is fixed.\n"
      }
    }
    if outcome.stopped {
      let signal = StopSignal.cause ?? "a signal"
      return "Stopped by \(signal) after \(done); no step was left half done. Run apply "
        + "again to carry on.\n"
    }
    guard let plan = outcome.plan, !plan.blocked.isEmpty else {
      if let plan = outcome.plan, !plan.kept.isEmpty {
        return "Apply complete: \(done)\(fewer). " + PlanRenderer.keptSentence(plan) + "\n"
      }
      return "Apply complete: \(done)\(fewer). Cluster membership matches the topology.\n"
    }
    let blocked = plan.blocked.map { "  ! \($0.action.rawValue) \($0.node): \($0.reason)" }
    return "Applied \(done), but \(plan.blocked.count) blocked:\n"
      + blocked.joined(separator: "\n") + "\nFix what each says, then run apply again.\n"
  }

  /// `; 2 of the 3 approved changes were needed`, when the cluster got there sooner.
  private var fewer: String {
    let approved = outcome.approvedCount
    guard outcome.applied.count < approved else { return "" }
    return "; \(outcome.applied.count) of the \(approved) approved changes were needed"
  }

  /// `3 changes in 41s (2 joined, 1 removed, MicroK8s installed on 1)`.
  private var doneText: String {
    let applied = outcome.applied
    let count = applied.count == 1 ? "1 change" : "\(applied.count) changes"
    var parts: [String] = []
    let joined = applied.filter { $0.action == .join }.count
    let removed = applied.filter { $0.action == .remove }.count
    let changed = applied.filter { $0.action == .changeRole }.count
    let ghosts = applied.filter { $0.action == .cleanupGhost }.count
    let upgraded = applied.filter { $0.action == .upgrade }.count
    if joined > 0 { parts.append("\(joined) joined") }
    if removed > 0 { parts.append("\(removed) removed") }
    if changed > 0 { parts.append("\(changed) changed role") }
    if ghosts > 0 { parts.append("\(ghosts) ghosts cleaned up") }
    if upgraded > 0 { parts.append("\(upgraded) upgraded a minor version") }
    // Within joins, and the founder's change of its own.
    let installed = applied.filter { $0.steps.contains { $0.verb == .install } }.count
    if installed > 0 { parts.append("MicroK8s installed on \(installed)") }
    let detail = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    return "\(count) in \(ApplyProgress.format(elapsed))\(detail)"
  }
}
