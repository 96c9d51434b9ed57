import MembershipCore
import Testing

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
