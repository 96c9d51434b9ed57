/// What one reconcile pass did, as the log line, the status file and the metrics tell it.
public struct PassReport: Sendable, Equatable {
  /// When the pass began: RFC 3339 UTC, and seconds since the epoch for the metrics.
  public var startedAt: String
  public var startedAtEpoch: Int64
  /// Wall time of the pass, in milliseconds.
  public var durationMilliseconds: Int64
  /// The revision read: a commit for git, `sha256:<first 16 hex>` of the bytes for a
  /// file; nil when the source could not be read.
  public var revision: String?
  /// The commit's subject line, when the source is git.
  public var subject: String?
  public var outcome: PassOutcome
  public var dryRun: Bool
  /// The changes carried out, as `PlanRenderer.title` words them, in order.
  public var applied: [String]
  /// How far the cluster is from the revision when the pass ends.
  ///
  /// The changes (blocked included) a plan still wants, 0 once converged; for a dry run,
  /// the plan's. Nil when the pass did not get as far as a plan.
  public var drift: Int?
  /// The first plan's changes and blocked changes, titled; what a dry run would apply.
  public var planned: [String]
  /// Why the pass did not converge, in words; nil when it did.
  public var message: String?

  public init(
    startedAt: String,
    startedAtEpoch: Int64,
    durationMilliseconds: Int64 = 0,
    revision: String? = nil,
    subject: String? = nil,
    outcome: PassOutcome,
    dryRun: Bool = false,
    applied: [String] = [],
    drift: Int? = nil,
    planned: [String] = [],
    message: String? = nil
  ) {
    self.startedAt = startedAt
    self.startedAtEpoch = startedAtEpoch
    self.durationMilliseconds = durationMilliseconds
    self.revision = revision
    self.subject = subject
    self.outcome = outcome
    self.dryRun = dryRun
    self.applied = applied
    self.drift = drift
    self.planned = planned
    self.message = message
  }
}
