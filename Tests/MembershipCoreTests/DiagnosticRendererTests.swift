import MembershipCore
import Testing

@Suite("Rendering diagnostics")
struct DiagnosticRendererTests {
  let source = Array("apiVersion: mktopo/v1\n\tkind: Topology\n".utf8)

  @Test("compiler form: header, source line, caret, then notes")
  func compilerForm() {
    let diagnostic = Diagnostic.error(
      "duplicate key 'kind'",
      file: "t.yaml",
      at: SourcePosition(line: 2, column: 2),
      notes: [.note("first declared here", file: "t.yaml", at: SourcePosition(line: 1, column: 1))]
    )
    let text = DiagnosticRenderer(colored: false).render([diagnostic], sources: ["t.yaml": source])
    #expect(
      text == """
        t.yaml:2:2: error: duplicate key 'kind'
         2 | \tkind: Topology
           | \t^
        t.yaml:1:1: note: first declared here
         1 | apiVersion: mktopo/v1
           | ^

        """
    )
  }

  @Test("colour only when asked, and never in the plain form")
  func colour() {
    let diagnostic = Diagnostic.warning("w", file: "t.yaml", at: .start)
    let plain = DiagnosticRenderer(colored: false).render([diagnostic], sources: ["t.yaml": source])
    let colored = DiagnosticRenderer(colored: true).render(
      [diagnostic],
      sources: ["t.yaml": source]
    )
    #expect(!plain.contains("\u{1B}"))
    #expect(colored.contains("\u{1B}[1;35mwarning:\u{1B}[0m"))
  }

  @Test("a very long line is cut to a window around the column")
  func longLine() throws {
    let line = String(repeating: "x", count: 5000) + "BAD" + String(repeating: "y", count: 5000)
    let diagnostic = Diagnostic.error(
      "here",
      file: "t.yaml",
      at: SourcePosition(line: 1, column: 5001)
    )
    let text = DiagnosticRenderer(colored: false).render(
      [diagnostic],
      sources: ["t.yaml": Array(line.utf8)]
    )
    let lines = text.split(separator: "\n")
    #expect(text.count < 500)
    let sourceLine = try #require(lines.dropFirst().first)
    let caretLine = try #require(lines.dropFirst(2).first)
    let badAt = try #require(sourceLine.unicodeScalars.firstIndex(of: "B"))
    let caretAt = try #require(caretLine.unicodeScalars.firstIndex(of: "^"))
    #expect(
      sourceLine.unicodeScalars.distance(from: sourceLine.unicodeScalars.startIndex, to: badAt)
        == caretLine.unicodeScalars.distance(from: caretLine.unicodeScalars.startIndex, to: caretAt)
    )
  }

  @Test("JSON output has the documented fields and escapes strings")
  func json() {
    let diagnostic = Diagnostic.error(
      "bad \"quote\"\n",
      file: "t.yaml",
      at: SourcePosition(line: 3, column: 4),
      notes: [.note("first", file: "t.yaml", at: .start)]
    )
    let json = DiagnosticJSON.render([diagnostic, .warning("w", file: "u.yaml")])
    #expect(json.contains("\"formatVersion\": 1"))
    #expect(json.contains("\"valid\": false"))
    #expect(json.contains("\"errorCount\": 1"))
    #expect(json.contains("\"warningCount\": 1"))
    #expect(json.contains("\"message\": \"bad \\\"quote\\\"\\n\""))
    #expect(json.contains("\"line\": 3"))
    #expect(json.contains("\"line\": null"))
    #expect(json.contains("\"severity\": \"note\""))
  }

  @Test("the summary says whether the control plane is HA")
  func summary() throws {
    let load = MarkedYAML(
      validHeader + "nodes:\n"
        + (1...4).map { "  - {name: n\($0), address: 10.0.0.\($0)}\n" }.joined()
        + "  - {name: w, address: 10.0.1.1, role: worker}\n"
    ).load()
    let topology = try #require(load.topology)
    #expect(
      TopologySummary.line(topology)
        == "cluster homelab (MicroK8s 1.28): 5 nodes: 4 control plane, 1 worker; HA (3 voters, 1 standby)"
    )
    #expect(TopologySummary.availability(2) == "not HA (1 voter, 1 spare)")
    #expect(TopologySummary.availability(8) == "HA (3 voters, 3 standbys, 2 spares)")
    #expect(
      TopologySummary.table(topology).hasPrefix(
        "NAME  ADDRESS   ROLE    VERSION  STATE    CONNECTION\n"
      )
    )
  }
}
