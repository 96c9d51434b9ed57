import MembershipCore
import Testing

@Suite("Reconcile: what the status remembers")
struct ReconcileStatusTests {
  static func report(
    _ outcome: PassOutcome,
    revision: String? = "aaa",
    at epoch: Int64 = 100,
    applied: [String] = [],
    dryRun: Bool = false
  ) -> PassReport {
    PassReport(
      startedAt: "t\(epoch)",
      startedAtEpoch: epoch,
      revision: revision,
      outcome: outcome,
      dryRun: dryRun,
      applied: applied
    )
  }

  @Test("a converged pass is the last applied revision; an invalid one only the last attempted")
  func revisions() {
    var status = ReconcileStatus(source: "git x")
    status.record(
      Self.report(.converged, revision: "good", applied: ["+ join node2"]),
      cluster: "lab"
    )
    status.record(Self.report(.invalid, revision: "bad", at: 200), cluster: nil)
    #expect(status.lastAppliedRevision == "good")
    #expect(status.lastAppliedAt == "t100")
    #expect(status.lastAttemptedRevision == "bad")
    #expect(status.cluster == "lab")
    #expect(status.passes == 2)
    #expect(status.failures == 1)
    #expect(status.changesApplied == 1)
    #expect(status.lastSuccessEpoch == 100)
    #expect(status.lastPass?.outcome == .invalid)
  }

  @Test("a source that cannot be read keeps the last attempted revision")
  func unreadableSource() {
    var status = ReconcileStatus(source: "git x")
    status.record(Self.report(.converged, revision: "good"), cluster: "lab")
    status.record(Self.report(.sourceFailed, revision: nil, at: 200), cluster: nil)
    #expect(status.lastAttemptedRevision == "good")
    #expect(status.failures == 1)
  }

  @Test("a dry run never counts as applied, but does count as a success")
  func dryRun() {
    var status = ReconcileStatus(source: "git x")
    status.record(Self.report(.converged, revision: "r1", dryRun: true), cluster: "lab")
    status.record(Self.report(.drift, revision: "r2", at: 300, dryRun: true), cluster: "lab")
    #expect(status.lastAppliedRevision == nil)
    #expect(status.lastSuccessEpoch == 300)
    #expect(status.failures == 0)
  }

  @Test("suspension is remembered but not counted as a pass; stopped passes are not failures")
  func suspendedAndStopped() {
    var status = ReconcileStatus(source: "git x")
    status.record(Self.report(.suspended, revision: nil), cluster: nil)
    #expect(status.suspended)
    #expect(status.passes == 0)
    status.record(Self.report(.stopped, applied: ["+ join node2"]), cluster: "lab")
    #expect(!status.suspended)
    #expect(status.passes == 1)
    #expect(status.failures == 0)
    #expect(status.changesApplied == 1)
    #expect(status.lastAppliedRevision == nil)
  }
}
