/// What the reconcile daemon remembers between passes and between runs: the revisions,
/// the last pass and the counters behind the metrics.
///
/// It is kept in the state directory as JSON, so that `--once` runs started by a timer
/// count up the same counters a long-running daemon would, and so that an operator (or
/// a monitoring check) can read where the cluster stands without asking the daemon.
public struct ReconcileStatus: Sendable, Equatable {
  public static let formatVersion = 1

  /// The source, in words: `git <url> <ref> <path>` or `file <path>`.
  public var source: String
  /// The cluster named by the last valid topology read; nil before one was read.
  public var cluster: String?
  /// The revision the last pass read (valid or not).
  public var lastAttemptedRevision: String?
  /// The last revision the cluster was converged to by a pass that could change it.
  public var lastAppliedRevision: String?
  /// When the cluster was last converged to `lastAppliedRevision`, RFC 3339 UTC.
  public var lastAppliedAt: String?
  public var lastPass: PassReport?
  /// When the next pass is due, RFC 3339 UTC; nil for `--once` and after a stop.
  public var nextPassAt: String?
  public var suspended: Bool
  /// Counters since the state directory was created.
  public var passes: Int
  public var failures: Int
  public var changesApplied: Int
  /// The epoch second of the last pass that succeeded; nil before one did.
  public var lastSuccessEpoch: Int64?
  /// The drift the last pass that planned left; kept through passes that could not plan
  /// (git unreachable, say), so a drift alert does not clear while nobody can look.
  public var lastDrift: Int?

  public init(source: String) {
    self.source = source
    self.suspended = false
    self.passes = 0
    self.failures = 0
    self.changesApplied = 0
  }

  /// Adds a finished pass: counters, revisions and the last pass.
  public mutating func record(_ report: PassReport, cluster: String?) {
    if let cluster { self.cluster = cluster }
    lastPass = report
    suspended = report.outcome == .suspended
    guard report.outcome != .suspended else { return }
    passes += 1
    if report.outcome.isFailure { failures += 1 }
    changesApplied += report.applied.count
    if report.revision != nil { lastAttemptedRevision = report.revision }
    if let drift = report.drift { lastDrift = drift }
    if report.outcome.succeeded { lastSuccessEpoch = report.startedAtEpoch }
    if report.outcome == .converged, !report.dryRun, let revision = report.revision {
      lastAppliedRevision = revision
      lastAppliedAt = report.startedAt
    }
  }
}
