import MembershipCore
import Testing

@Suite("ReconcileStatus: JSON")
struct ReconcileStatusJSONTests {
  /// Every field set, the last pass included, with text that needs escaping.
  static var everyField: ReconcileStatus {
    var status = ReconcileStatus(source: "git https://example.com/infra.git main home.yaml")
    status.cluster = "homelab"
    status.lastAttemptedRevision = "0123456789abcdef0123456789abcdef01234567"
    status.lastAppliedRevision = "sha256:00112233aabbccdd"
    status.lastAppliedAt = "2025-01-02T03:04:05Z"
    status.nextPassAt = "2025-01-02T03:09:05Z"
    status.suspended = true
    status.passes = 12
    status.failures = 3
    status.changesApplied = 7
    status.lastSuccessEpoch = 1_735_787_045
    status.lastDrift = 2
    status.lastPass = PassReport(
      startedAt: "2025-01-02T03:04:05Z",
      startedAtEpoch: 1_735_787_045,
      durationMilliseconds: 2345,
      revision: "0123456789abcdef0123456789abcdef01234567",
      subject: "Add \"node3\"\tto the lab — ünïcode\nsecond line",
      outcome: .failed,
      dryRun: true,
      applied: ["join node3 as worker"],
      drift: 2,
      planned: ["join node3 as worker", "remove node1"],
      message: "remove node1: a \\ backslash"
    )
    return status
  }

  @Test("json() then decode gives the same status, every field set")
  func roundTripEveryField() throws {
    let status = Self.everyField
    let decoded = try #require(ReconcileStatus.decode(status.json().rendered()))
    #expect(decoded == status)
  }

  @Test("a fresh status round-trips, and its JSON has formatVersion first and nulls")
  func freshStatus() {
    let status = ReconcileStatus(source: "file /etc/mktopo/topology.yaml")
    let text = status.json().rendered()
    #expect(
      text == """
        {
          "formatVersion": 1,
          "source": "file /etc/mktopo/topology.yaml",
          "cluster": null,
          "lastAttemptedRevision": null,
          "lastAppliedRevision": null,
          "lastAppliedAt": null,
          "lastPass": null,
          "nextPassAt": null,
          "suspended": false,
          "passes": 0,
          "failures": 0,
          "changesApplied": 0,
          "lastSuccessEpoch": null,
          "lastDrift": null
        }

        """
    )
    #expect(ReconcileStatus.decode(text) == status)
  }

  @Test("the last pass is an object with every PassReport field, in declaration order")
  func lastPassShape() throws {
    let text = Self.everyField.json().rendered()
    let start = try #require(text.range(of: "\"lastPass\": {"))
    let end = try #require(text[start.upperBound...].range(of: "\n  },"))
    let keys = text[start.upperBound..<end.lowerBound]
      .split(separator: "\n")
      .filter { $0.hasPrefix("    \"") }
      .map { $0.dropFirst(5).prefix { $0 != "\"" } }
    #expect(
      keys == [
        "startedAt", "startedAtEpoch", "durationMilliseconds", "revision", "subject", "outcome",
        "dryRun", "applied", "drift", "planned", "message",
      ]
    )
    #expect(text.contains("\"outcome\": \"failed\""))
    #expect(text.contains("\"durationMilliseconds\": 2345"))
  }

  @Test("every outcome round-trips under its raw value", arguments: PassOutcome.allCases)
  func everyOutcome(outcome: PassOutcome) throws {
    var status = ReconcileStatus(source: "file t.yaml")
    status.record(
      PassReport(startedAt: "2025-01-02T03:04:05Z", startedAtEpoch: 5, outcome: outcome),
      cluster: "c"
    )
    let text = status.json().rendered()
    #expect(text.contains("\"outcome\": \"\(outcome.rawValue)\""))
    let decoded = try #require(ReconcileStatus.decode(text))
    #expect(decoded.lastPass?.outcome == outcome)
    #expect(decoded == status)
  }

  @Test(
    "text that is not a status of this format decodes to nil",
    arguments: [
      "",
      "   ",
      "not json",
      "{",
      "[]",
      "\"text\"",
      "42",
      "null",
      "{}",
      #"{"formatVersion": 2, "source": "file t.yaml"}"#,
      #"{"formatVersion": 0, "source": "file t.yaml"}"#,
      #"{"formatVersion": "1", "source": "file t.yaml"}"#,
      #"{"formatVersion": 1.0, "source": "file t.yaml"}"#,
      #"{"source": "file t.yaml"}"#,
      #"{"formatVersion": 1}"#,
      #"{"formatVersion": 1, "source": null}"#,
      #"{"formatVersion": 1, "source": 7}"#,
      #"{"formatVersion": 1, "source": "file t.yaml",}"#,
      #"{"formatVersion": 1, "source": "file t.yaml"} {}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "passes": "3"}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "passes": 1.5}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "failures": 99999999999999999999}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "suspended": "no"}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "cluster": 1}"#,
      #"{"formatVersion": 1, "source": "file t.yaml", "lastSuccessEpoch": "yesterday"}"#,
    ]
  )
  func garbage(text: String) {
    #expect(ReconcileStatus.decode(text) == nil)
  }

  @Test("a status cut short anywhere does not decode")
  func truncated() throws {
    let text = Self.everyField.json().rendered()
    let closing = try #require(text.lastIndex(of: "}"))
    var cut = text.startIndex
    while cut < closing {
      #expect(
        ReconcileStatus.decode(String(text[..<cut])) == nil,
        "cut at \(text.distance(from: text.startIndex, to: cut))"
      )
      cut = text.index(after: cut)
    }
  }

  @Test("missing optional fields take a fresh status's values")
  func missingFields() throws {
    let minimal = try #require(
      ReconcileStatus.decode(#"{"formatVersion": 1, "source": "file t.yaml"}"#)
    )
    #expect(minimal == ReconcileStatus(source: "file t.yaml"))

    let some = try #require(
      ReconcileStatus.decode(
        #"{"formatVersion": 1, "source": "file t.yaml", "passes": 4, "cluster": "lab", "#
          + #""lastPass": {"startedAt": "2025-01-02T03:04:05Z", "startedAtEpoch": 9, "#
          + #""outcome": "drift"}, "extra": [1, 2]}"#
      )
    )
    var expected = ReconcileStatus(source: "file t.yaml")
    expected.passes = 4
    expected.cluster = "lab"
    expected.lastPass = PassReport(
      startedAt: "2025-01-02T03:04:05Z",
      startedAtEpoch: 9,
      outcome: .drift
    )
    #expect(some == expected)
  }

  @Test("an unknown or unreadable last pass is dropped; the counters are kept")
  func unreadableLastPass() throws {
    let lastPasses = [
      #"{"startedAt": "2025-01-02T03:04:05Z", "startedAtEpoch": 9, "outcome": "exploded"}"#,
      #"{"startedAt": "2025-01-02T03:04:05Z", "startedAtEpoch": 9}"#,
      #"{"startedAt": "2025-01-02T03:04:05Z", "outcome": "converged"}"#,
      #"{"startedAtEpoch": 9, "outcome": "converged"}"#,
      #"{"startedAt": "x", "startedAtEpoch": 9, "outcome": "converged", "applied": "node3"}"#,
      #"{"startedAt": "x", "startedAtEpoch": 9, "outcome": "converged", "planned": [1]}"#,
      #"{"startedAt": "x", "startedAtEpoch": 9, "outcome": "converged", "drift": "2"}"#,
      #"{"startedAt": "x", "startedAtEpoch": 9, "outcome": "converged", "dryRun": 0}"#,
      #""converged""#,
      "[]",
    ]
    for lastPass in lastPasses {
      let text =
        #"{"formatVersion": 1, "source": "file t.yaml", "passes": 3, "failures": 1, "#
        + #""lastPass": \#(lastPass)}"#
      let status = try #require(ReconcileStatus.decode(text), "\(lastPass)")
      #expect(status.lastPass == nil, "\(lastPass)")
      #expect(status.passes == 3)
      #expect(status.failures == 1)
    }
  }
}
