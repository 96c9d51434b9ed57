import MembershipCore

/// What the executor is doing, for progress output and the journal.
///
/// The executor never prints: whoever runs it decides what to show.
public enum ExecutionEvent: Sendable {
  /// Step `index` (1-based) of `change` is about to run.
  case stepStarted(change: Change, index: Int, step: Step)
  /// The step's command finished; the executor now waits for the cluster to show it.
  case waiting(change: Change, index: Int, condition: String)
  /// The step is done: its command succeeded and the cluster shows its effect.
  case stepFinished(change: Change, index: Int, elapsed: Duration)
}
