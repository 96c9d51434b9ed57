/// How one reconcile pass ended; the status file, the logs and the metrics all name it
/// by its raw value.
public enum PassOutcome: String, Sendable, CaseIterable {
  /// The cluster matches the revision (perhaps after changes this pass made).
  case converged
  /// Dry run: the cluster differs from the revision; nothing was changed.
  case drift
  /// Changes are left that mktopo refuses to make until an operator acts.
  case blocked
  /// The topology at the revision is invalid; the cluster was left as it is.
  case invalid
  /// The source (git or the file) could not be read; the cluster was left as it is.
  case sourceFailed = "source-failed"
  /// The cluster could not be observed; nothing was changed.
  case unobservable
  /// A change failed, or the plan was refused as a whole.
  case failed
  /// Another mktopo held the cluster's lock; this pass changed nothing.
  case locked
  /// The daemon is suspended; the pass was skipped.
  case suspended
  /// A stop signal or a suspension arrived between changes, or the cluster came to need
  /// changes the pass had not planned (the next pass plans them); the pass ended early.
  case stopped

  /// The pass did what a pass is for: converged, or (dry run) measured the drift.
  public var succeeded: Bool { self == .converged || self == .drift }

  /// Counted as a failure: anything that needs a retry or an operator, but not a pass
  /// that was skipped or stopped on purpose.
  public var isFailure: Bool { !succeeded && self != .suspended && self != .stopped }
}
