import MembershipCore
import Testing

@Suite("PrometheusText")
struct PrometheusTextTests {
  /// Two passes on one cluster: one converged with a change, then one failed.
  static var twoPasses: ReconcileStatus {
    var status = ReconcileStatus(source: "git https://example.com/infra.git main home.yaml")
    status.record(
      PassReport(
        startedAt: "2025-01-02T03:04:05Z",
        startedAtEpoch: 1_735_787_045,
        durationMilliseconds: 2345,
        revision: "abc123",
        outcome: .converged,
        applied: ["join node3 as worker"],
        drift: 1,
        planned: ["join node3 as worker"]
      ),
      cluster: "homelab"
    )
    status.record(
      PassReport(
        startedAt: "2025-01-02T03:10:05Z",
        startedAtEpoch: 1_735_787_405,
        durationMilliseconds: 1500,
        revision: "def456",
        outcome: .failed,
        drift: 2,
        planned: ["remove node1", "join node4 as worker"],
        message: "remove node1 failed"
      ),
      cluster: "homelab"
    )
    return status
  }

  @Test("the exposition text for a status with two passes")
  func exactText() {
    #expect(
      PrometheusText.render(Self.twoPasses) == """
        # HELP mktopo_reconcile_passes_total Reconcile passes run, skipped (suspended) passes not counted.
        # TYPE mktopo_reconcile_passes_total counter
        mktopo_reconcile_passes_total 2
        # HELP mktopo_reconcile_failures_total Reconcile passes that failed and need a retry or an operator.
        # TYPE mktopo_reconcile_failures_total counter
        mktopo_reconcile_failures_total 1
        # HELP mktopo_reconcile_changes_applied_total Membership changes carried out by reconcile passes.
        # TYPE mktopo_reconcile_changes_applied_total counter
        mktopo_reconcile_changes_applied_total 1
        # HELP mktopo_reconcile_drift Changes between the cluster and the topology that the last pass to plan left.
        # TYPE mktopo_reconcile_drift gauge
        mktopo_reconcile_drift 2
        # HELP mktopo_reconcile_last_success_timestamp_seconds When the last pass that converged or measured the drift started, as Unix time.
        # TYPE mktopo_reconcile_last_success_timestamp_seconds gauge
        mktopo_reconcile_last_success_timestamp_seconds 1735787045
        # HELP mktopo_reconcile_last_pass_timestamp_seconds When the last pass started, as Unix time.
        # TYPE mktopo_reconcile_last_pass_timestamp_seconds gauge
        mktopo_reconcile_last_pass_timestamp_seconds 1735787405
        # HELP mktopo_reconcile_last_pass_duration_seconds How long the last pass took, in seconds.
        # TYPE mktopo_reconcile_last_pass_duration_seconds gauge
        mktopo_reconcile_last_pass_duration_seconds 1.500
        # HELP mktopo_reconcile_suspended 1 while reconciling is suspended, 0 otherwise.
        # TYPE mktopo_reconcile_suspended gauge
        mktopo_reconcile_suspended 0
        # HELP mktopo_reconcile_last_outcome 1 for the outcome of the last pass, 0 for every other outcome.
        # TYPE mktopo_reconcile_last_outcome gauge
        mktopo_reconcile_last_outcome{outcome="converged"} 0
        mktopo_reconcile_last_outcome{outcome="drift"} 0
        mktopo_reconcile_last_outcome{outcome="blocked"} 0
        mktopo_reconcile_last_outcome{outcome="invalid"} 0
        mktopo_reconcile_last_outcome{outcome="source-failed"} 0
        mktopo_reconcile_last_outcome{outcome="unobservable"} 0
        mktopo_reconcile_last_outcome{outcome="failed"} 1
        mktopo_reconcile_last_outcome{outcome="locked"} 0
        mktopo_reconcile_last_outcome{outcome="suspended"} 0
        mktopo_reconcile_last_outcome{outcome="stopped"} 0
        # HELP mktopo_reconcile_info The source, the cluster and the revisions read and applied; always 1.
        # TYPE mktopo_reconcile_info gauge
        mktopo_reconcile_info{source="git https://example.com/infra.git main home.yaml",cluster="homelab",attempted_revision="def456",applied_revision="abc123"} 1

        """
    )
  }

  @Test("label values escape backslash, double quote and line feed, and nothing else")
  func escaping() {
    var status = ReconcileStatus(source: #"file C:\topo "lab".yaml"# + "\nline two\ttab ünï")
    status.cluster = #"a"b\c"#
    let text = PrometheusText.render(status)
    let info = text.split(separator: "\n").filter { $0.hasPrefix("mktopo_reconcile_info{") }
    #expect(
      info == [
        #"mktopo_reconcile_info{source="file C:\\topo \"lab\".yaml\nline two"#
          + "\t"
          + #"tab ünï",cluster="a\"b\\c",attempted_revision="",applied_revision=""} 1"#
      ]
    )
    // The line feed in the source did not break the line.
    #expect(text.split(separator: "\n").allSatisfy { !$0.hasPrefix("line two") })
  }

  @Test("a status that never ran leaves out the samples it cannot know")
  func neverRun() {
    let text = PrometheusText.render(ReconcileStatus(source: "file t.yaml"))
    for absent in [
      "mktopo_reconcile_drift", "mktopo_reconcile_last_success_timestamp_seconds",
      "mktopo_reconcile_last_pass_timestamp_seconds", "mktopo_reconcile_last_pass_duration_seconds",
      "mktopo_reconcile_last_outcome",
    ] {
      #expect(!text.contains(absent), "\(absent)")
    }
    let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
    #expect(
      samples == [
        "mktopo_reconcile_passes_total 0",
        "mktopo_reconcile_failures_total 0",
        "mktopo_reconcile_changes_applied_total 0",
        "mktopo_reconcile_suspended 0",
        #"mktopo_reconcile_info{source="file t.yaml",cluster="",attempted_revision="",applied_revision=""} 1"#,
      ]
    )
  }

  @Test("the drift: left out before any plan, then the last known; suspension shows as 1")
  func unknownDriftAndSuspension() {
    var status = ReconcileStatus(source: "file t.yaml")
    status.record(
      PassReport(startedAt: "t", startedAtEpoch: 10, outcome: .sourceFailed),
      cluster: nil
    )
    var text = PrometheusText.render(status)
    #expect(!text.contains("mktopo_reconcile_drift"))
    #expect(!text.contains("mktopo_reconcile_last_success_timestamp_seconds"))
    #expect(text.contains("\nmktopo_reconcile_last_outcome{outcome=\"source-failed\"} 1\n"))
    #expect(text.contains("\nmktopo_reconcile_failures_total 1\n"))

    status.record(PassReport(startedAt: "t", startedAtEpoch: 20, outcome: .suspended), cluster: nil)
    text = PrometheusText.render(status)
    #expect(text.contains("\nmktopo_reconcile_suspended 1\n"))

    // Once known, the drift outlasts passes that cannot plan: an alert must not clear
    // because git went away.
    status.record(
      PassReport(startedAt: "t", startedAtEpoch: 30, outcome: .blocked, drift: 3),
      cluster: "lab"
    )
    status.record(
      PassReport(startedAt: "t", startedAtEpoch: 40, outcome: .sourceFailed),
      cluster: nil
    )
    #expect(PrometheusText.render(status).contains("\nmktopo_reconcile_drift 3\n"))
    #expect(text.contains("\nmktopo_reconcile_last_outcome{outcome=\"suspended\"} 1\n"))
  }

  @Test("exactly the last pass's outcome is 1", arguments: PassOutcome.allCases)
  func oneOutcome(outcome: PassOutcome) {
    var status = ReconcileStatus(source: "file t.yaml")
    status.record(PassReport(startedAt: "t", startedAtEpoch: 1, outcome: outcome), cluster: "c")
    let samples = PrometheusText.render(status).split(separator: "\n")
      .filter { $0.hasPrefix("mktopo_reconcile_last_outcome{") }
    #expect(samples.count == PassOutcome.allCases.count)
    #expect(
      samples.filter { $0.hasSuffix(" 1") } == [
        "mktopo_reconcile_last_outcome{outcome=\"\(outcome.rawValue)\"} 1"
      ]
    )
    #expect(samples.filter { $0.hasSuffix(" 0") }.count == PassOutcome.allCases.count - 1)
  }

  @Test(
    "durations are decimal seconds, exact to the millisecond",
    arguments: [(0, "0.000"), (5, "0.005"), (999, "0.999"), (1000, "1.000"), (61_234, "61.234")]
      as [(Int64, String)]
  )
  func durations(milliseconds: Int64, expected: String) {
    var status = ReconcileStatus(source: "file t.yaml")
    let pass = PassReport(
      startedAt: "t",
      startedAtEpoch: 1,
      durationMilliseconds: milliseconds,
      outcome: .converged
    )
    status.record(pass, cluster: nil)
    #expect(
      PrometheusText.render(status).contains(
        "\nmktopo_reconcile_last_pass_duration_seconds \(expected)\n"
      )
    )
  }

  @Test(
    "every sample follows its metric's HELP and TYPE, each family once and contiguous",
    arguments: [
      ReconcileStatus(source: "file t.yaml"), PrometheusTextTests.twoPasses,
      ReconcileStatusJSONTests.everyField,
    ]
  )
  func structure(status: ReconcileStatus) throws {
    let text = PrometheusText.render(status)
    #expect(text.hasSuffix("\n"))
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    var finished: Set<Substring> = []
    var current: Substring?
    var help: Substring?
    var type: Substring?
    for line in lines {
      let words = line.split(separator: " ", maxSplits: 3)
      if line.hasPrefix("# HELP ") {
        let name = try #require(words.dropFirst(2).first)
        #expect(!finished.contains(name) && name != current, "HELP repeated: \(line)")
        if let current { finished.insert(current) }
        current = nil
        help = name
        type = nil
        #expect(words.count == 4, "HELP without text: \(line)")
      } else if line.hasPrefix("# TYPE ") {
        #expect(words.count == 4 && words[2] == help, "TYPE not after its HELP: \(line)")
        #expect(["counter", "gauge"].contains(words.last.map(String.init)), "\(line)")
        type = words[2]
        current = words[2]
      } else {
        let name = line.prefix { $0 != "{" && $0 != " " }
        #expect(name == current && type == name, "sample without HELP and TYPE: \(line)")
        #expect(name.wholeMatch(of: /[a-zA-Z_:][a-zA-Z0-9_:]*/) != nil, "\(line)")
        let value = try #require(line.split(separator: " ").last)
        #expect(Double(value) != nil, "value \(value)")
      }
    }
    let counters = lines.filter { $0.hasPrefix("# TYPE ") && $0.hasSuffix(" counter") }
    #expect(counters.allSatisfy { $0.split(separator: " ")[2].hasSuffix("_total") })
  }
}
