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

private func nodes(_ body: String) -> String { validHeader + "nodes:\n" + body }

@Suite("Topology diagnostics, each at its position")
struct TopologyDiagnosticTests {
  static let errors: [RuleCase] = [
    RuleCase(
      rule: "YAML syntax error at libyaml's position",
      yaml:
        "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: a, version: \"1.28\"\n①nodes:\n",
      severity: .error,
      marker: "①",
      phrase: "YAML syntax error"
    ),
    RuleCase(
      rule: "unknown key with a suggestion",
      yaml: nodes("  - name: a\n    ①adress: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "unknown key 'adress' in a node; did you mean 'address'?"
    ),
    RuleCase(
      rule: "unknown top-level key lists the known ones",
      yaml: "①metadata: {}\n" + nodes("  - name: a\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "expected one of 'apiVersion'"
    ),
    RuleCase(
      rule: "duplicate key",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    ①name: b\n"),
      severity: .error,
      marker: "①",
      phrase: "duplicate key 'name'"
    ),
    RuleCase(
      rule: "wrong type: mapping where a string belongs",
      yaml: nodes("  - name: ①{a: b}\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "must be a string, found a mapping"
    ),
    RuleCase(
      rule: "wrong type: unquoted version suggests quoting",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    version: ①1.30\n"),
      severity: .error,
      marker: "①",
      phrase: "quote it: \"1.30\""
    ),
    RuleCase(
      rule: "wrong type: nodes is not a list",
      yaml: validHeader + "nodes: ①{name: a}\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' must be a list"
    ),
    RuleCase(
      rule: "bad role, with the word operators bring from elsewhere",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    role: ①control-plane\n"),
      severity: .error,
      marker: "①",
      phrase: "found 'control-plane'; did you mean 'mixed'?"
    ),
    RuleCase(
      rule: "bad state",
      yaml: nodes(
        "  - name: a\n    address: 10.0.0.1\n  - name: b\n    address: 10.0.0.2\n    state: ①absnet\n"
      ),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'absent'?"
    ),
    RuleCase(
      rule: "bad connection type",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {type: ①sshh}\n"),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'ssh'?"
    ),
    RuleCase(
      rule: "host key checking can never be off",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {hostKeyChecking: ①no}\n"),
      severity: .error,
      marker: "①",
      phrase: "cannot be turned off"
    ),
    RuleCase(
      rule: "bad duration",
      yaml: validHeader + "policy:\n  joinTimeout: ①5 min\n"
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n",
      severity: .error,
      marker: "①",
      phrase: "invalid duration '5 min'"
    ),
    RuleCase(
      rule: "zero duration",
      yaml: validHeader + "policy:\n  tokenTTL: ①0s\n"
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n",
      severity: .error,
      marker: "①",
      phrase: "longer than zero"
    ),
    RuleCase(
      rule: "uppercase node name suggests the lowercase one",
      yaml: nodes("  - name: ①Node1\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'node1'?"
    ),
    RuleCase(
      rule: "node name longer than 63",
      yaml: nodes("  - name: ①" + String(repeating: "n", count: 64) + "\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "the limit is 63"
    ),
    RuleCase(
      rule: "node name with shell metacharacters",
      yaml: nodes("  - name: ①\"a;rm -rf /\"\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "it contains ';'"
    ),
    RuleCase(
      rule: "invalid IPv4 address",
      yaml: nodes("  - name: a\n    address: ①10.0.0.256\n"),
      severity: .error,
      marker: "①",
      phrase: "at most 255"
    ),
    RuleCase(
      rule: "IPv4 with a prefix length",
      yaml: nodes("  - name: a\n    address: ①10.0.0.1/24\n"),
      severity: .error,
      marker: "①",
      phrase: "without a prefix length"
    ),
    RuleCase(
      rule: "duplicate names, ignoring case",
      yaml: nodes(
        "  - name: node1\n    address: 10.0.0.1\n  - name: node2\n    address: 10.0.0.2\n  - name: ①node1\n    address: 10.0.0.3\n"
      ),
      severity: .error,
      marker: "①",
      phrase: "duplicate node name 'node1'"
    ),
    RuleCase(
      rule: "duplicate addresses",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n  - name: b\n    address: ①10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "duplicate address 10.0.0.1: already used by node 'a'"
    ),
    RuleCase(
      rule: "version track format",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    version: ①\"v1.28\"\n"),
      severity: .error,
      marker: "①",
      phrase: "invalid MicroK8s version 'v1.28'"
    ),
    RuleCase(
      rule: "apiVersion",
      yaml:
        "apiVersion: ①mktopo/v2\nkind: Topology\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "unsupported apiVersion 'mktopo/v2'"
    ),
    RuleCase(
      rule: "kind",
      yaml:
        "apiVersion: mktopo/v1\nkind: ①Cluster\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "unsupported kind 'Cluster'"
    ),
    RuleCase(
      rule: "missing apiVersion",
      yaml:
        "①kind: Topology\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "missing required key 'apiVersion'"
    ),
    RuleCase(
      rule: "empty nodes",
      yaml: validHeader + "nodes: ①[]\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' is empty"
    ),
    RuleCase(
      rule: "nodes with no value",
      yaml: validHeader + "①nodes:\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' is empty"
    ),
    RuleCase(
      rule: "missing nodes",
      yaml: "①apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: a, version: \"1.28\"}\n",
      severity: .error,
      marker: "①",
      phrase: "missing required key 'nodes'"
    ),
    RuleCase(
      rule: "no control-plane node",
      yaml: validHeader + "①nodes:\n  - name: a\n    address: 10.0.0.1\n    state: absent\n",
      severity: .error,
      marker: "①",
      phrase: "no control-plane node"
    ),
    RuleCase(
      rule: "workers without any mixed node",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    role: ①worker\n"),
      severity: .error,
      marker: "①",
      phrase: "workers without a control plane"
    ),
    RuleCase(
      rule: "missing address on a present node",
      yaml: nodes("  - ①name: a\n"),
      severity: .error,
      marker: "①",
      phrase: "node 'a' is missing required key 'address'"
    ),
    RuleCase(
      rule: "exec without command",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: ①{type: exec}\n"),
      severity: .error,
      marker: "①",
      phrase: "needs 'command'"
    ),
    RuleCase(
      rule: "unknown placeholder",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    microk8s: [sudo, ①\"{host}\"]\n"),
      severity: .error,
      marker: "①",
      phrase: "unknown placeholder '{host}'"
    ),
    RuleCase(
      rule: "port out of range",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {port: ①65536}\n"),
      severity: .error,
      marker: "①",
      phrase: "between 1 and 65535"
    ),
    RuleCase(
      rule: "boolean written as yes",
      yaml: validHeader + "policy: {prune: ①yes}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "write true or false"
    ),
    RuleCase(
      rule: "more than one document",
      yaml: validHeader + "nodes: [{name: a, address: 10.0.0.1}]\n①---\nkind: Topology\n",
      severity: .error,
      marker: "①",
      phrase: "more than one YAML document"
    ),
    RuleCase(
      rule: "undefined alias",
      yaml: validHeader + "nodes: [①*missing]\n",
      severity: .error,
      marker: "①",
      phrase: "undefined alias"
    ),
    RuleCase(
      rule: "the top level is not a mapping",
      yaml: "①- a\n- b\n",
      severity: .error,
      marker: "①",
      phrase: "a topology must be a mapping"
    ),
    RuleCase(
      rule: "custom tags are refused",
      yaml: nodes("  - name: ①!secret a\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "unsupported tag '!secret'"
    ),
  ]

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
    let marked = MarkedYAML(nodes("  - ①name: a\n    address: 10.0.0.1\n    ②name: b\n"))
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

@Suite("Edge cases of single rules")
struct RuleEdgeTests {
  @Test("an invalid command is reported once, not also as missing")
  func invalidCommandOnce() {
    let load = MarkedYAML(
      validHeader
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n    connection: {type: exec, command: ①[]}\n"
    ).load()
    #expect(
      load.diagnostics.map(\.message) == [
        "'nodes[0].connection.command' must list at least one argument"
      ]
    )
  }

  @Test("a misspelt required key is reported once, as the misspelling")
  func misspeltRequiredKey() {
    let load = MarkedYAML(validHeader + "nodes:\n  - name: a\n    ①adress: 10.0.0.1\n").load()
    #expect(
      load.diagnostics.map(\.message) == ["unknown key 'adress' in a node; did you mean 'address'?"]
    )
    let cluster = MarkedYAML(
      "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: a, verison: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n"
    ).load()
    #expect(
      cluster.diagnostics.map(\.message) == [
        "unknown key 'verison' in cluster; did you mean 'version'?"
      ]
    )
  }

  @Test("the unspecified address is refused", arguments: ["0.0.0.0", "\"::\""])
  func unspecified(address: String) {
    expectDiagnostic(
      MarkedYAML(validHeader + "nodes:\n  - name: a\n    address: ①\(address)\n"),
      .error,
      at: "①",
      containing: "the unspecified address means \"any\""
    )
  }

  @Test("control characters in names are named by code point")
  func controlCharacter() {
    expectDiagnostic(
      MarkedYAML(validHeader + "nodes:\n  - name: ①\"a\\tb\"\n    address: 10.0.0.1\n"),
      .error,
      at: "①",
      containing: "it contains 'U+0009'"
    )
  }
}
