import MembershipCore
import Testing

/// One rule of the decoder: a snapshot that breaks it, and what it reports at ①.
struct SnapshotCase: CustomTestStringConvertible, Sendable {
  var rule: String
  var json: String
  var phrase: String

  var testDescription: String { rule }
}

@Suite("Observed snapshot: problems at their positions")
struct ObservedSnapshotProblemTests {
  /// A valid node, as raw JSON.
  static let node1 =
    #"{"name": "node1", "internalIP": "10.0.0.1", "role": "mixed", "ready": true, "#
    + #""kubeletVersion": "v1.28.3"}"#

  /// A snapshot document with each part given as raw JSON, so markers can go anywhere.
  static func document(
    version: String = "1",
    contact: String = #""node1""#,
    nodes: String = node1,
    datastore: String = #"{"address": "10.0.0.1:19001", "role": "voter"}"#,
    probes: String = "",
    unreachable: String = "",
    extra: String = ""
  ) -> String {
    """
    {
      "formatVersion": \(version),
      "contact": \(contact),
      "nodes": [\(nodes)],
      "datastore": [\(datastore)],
      "probes": [\(probes)],
      "unreachable": [\(unreachable)]\(extra)
    }

    """
  }

  @Test("invalid JSON", arguments: syntax)
  func syntaxProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("wrong shape", arguments: shape)
  func shapeProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("bad values", arguments: values)
  func valueProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("inconsistent facts", arguments: consistency)
  func consistencyProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  /// Exactly one error containing the phrase, at ①, in `s.json`, and no cluster.
  private func expectProblem(_ rule: SnapshotCase) {
    let marked = MarkedYAML(rule.json)
    let load = ObservedSnapshot.decode(marked.text)
    #expect(load.observed == nil, "a snapshot with errors must not decode")
    #expect(!load.isValid)
    let matches = load.diagnostics.filter {
      $0.severity == .error && $0.message.contains(rule.phrase)
    }
    #expect(
      matches.count == 1,
      "expected one error containing \"\(rule.phrase)\", got: \(load.diagnostics.map(\.description))"
    )
    if let match = matches.first {
      #expect(match.position == marked.position("①"), "\(match)")
      #expect(match.file == "s.json")
    }
  }
}
