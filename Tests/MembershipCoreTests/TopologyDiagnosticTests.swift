import MembershipCore
import Testing

/// One rule of the loader: a file that breaks it, and where and what it reports.
struct RuleCase: CustomTestStringConvertible, Sendable {
  var rule: String
  var yaml: String
  var severity: Diagnostic.Severity
  var marker: Character
  var phrase: String

  var testDescription: String { rule }
}

@Suite("Topology diagnostics, each at its position")
struct TopologyDiagnosticTests {
  /// A valid file with the given `nodes:` list.
  static func nodes(_ body: String) -> String { validHeader + "nodes:\n" + body }

  static let warnings: [RuleCase] = [
    RuleCase(
      rule: "2 control-plane nodes are not HA",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n  - ①name: b\n    address: 10.0.0.2\n"),
      severity: .warning,
      marker: "①",
      phrase: "do not give high availability"
    ),
    RuleCase(
      rule: "an even number of control-plane nodes",
      yaml: nodes(
        (1...3).map { "  - name: n\($0)\n    address: 10.0.0.\($0)\n" }.joined()
          + "  - ①name: n4\n    address: 10.0.0.4\n"
      ),
      severity: .warning,
      marker: "①",
      phrase: "an even count adds no fault tolerance"
    ),
    RuleCase(
      rule: "loopback address",
      yaml: nodes("  - name: a\n    address: ①127.0.0.11\n"),
      severity: .warning,
      marker: "①",
      phrase: "loopback"
    ),
    RuleCase(
      rule: "IPv6 address",
      yaml: nodes("  - name: a\n    address: ①\"fd00::1\"\n"),
      severity: .warning,
      marker: "①",
      phrase: "reject IPv6 join addresses"
    ),
    RuleCase(
      rule: "hostKeyChecking accept-new",
      yaml: nodes(
        "  - name: a\n    address: 10.0.0.1\n    connection: {hostKeyChecking: ①accept-new}\n"
      ),
      severity: .warning,
      marker: "①",
      phrase: "trusts any host key on first contact"
    ),
    RuleCase(
      rule: "a node version that differs from the cluster",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    version: ①\"1.29\"\n"),
      severity: .warning,
      marker: "①",
      phrase: "asks for MicroK8s 1.29 but the cluster runs 1.28"
    ),
  ]

  @Test("reports the error at its position", arguments: errors)
  func error(_ rule: RuleCase) {
    expectDiagnostic(MarkedYAML(rule.yaml), .error, at: rule.marker, containing: rule.phrase)
  }

  @Test("warns at its position and keeps the file valid", arguments: warnings)
  func warning(_ rule: RuleCase) {
    let marked = MarkedYAML(rule.yaml)
    expectDiagnostic(marked, .warning, at: rule.marker, containing: rule.phrase)
    let load = marked.load()
    #expect(load.topology != nil, "warnings alone keep a file valid: \(load.diagnostics)")
  }

  @Test("a duplicate points back at the first declaration")
  func duplicateNote() throws {
    let marked = MarkedYAML(Self.nodes("  - ①name: a\n    address: 10.0.0.1\n    ②name: b\n"))
    let error = try #require(
      marked.load().diagnostics.first { $0.message.contains("duplicate key") }
    )
    #expect(error.position == marked.position("②"))
    #expect(error.notes.map(\.message) == ["first declared here"])
    #expect(error.notes.first?.position == marked.position("①"))
  }

  @Test("reports every problem in one run, in file order")
  func everyProblemAtOnce() {
    let marked = MarkedYAML(
      "apiVersion: ①mktopo/v9\nkind: Topology\ncluster: {name: ②Bad, version: ③\"1.x\"}\n"
        + "nodes:\n  - name: ④a_b\n    address: ⑤1.2.3\n    ⑥colour: blue\n"
    )
    let errors = marked.load().diagnostics.filter { $0.severity == .error }
    #expect(
      errors.compactMap(\.position)
        == ["①", "②", "③", "④", "⑤", "⑥"].compactMap { marked.position($0) }
    )
  }

  @Test("a syntax error carries libyaml's context as a note")
  func syntaxContext() throws {
    let load = MarkedYAML("apiVersion: mktopo/v1\nkind: \"Topology\ncluster: {}\n").load()
    let error = try #require(load.diagnostics.first)
    #expect(error.message.hasPrefix("YAML syntax error"))
    #expect(error.notes.count == 1)
  }
}
