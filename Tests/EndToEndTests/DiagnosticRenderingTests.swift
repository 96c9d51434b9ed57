import Foundation
import Testing

/// How diagnostics look on standard error: the header, the source line, the caret, notes.
@Suite("validate: diagnostic rendering")
struct DiagnosticRenderingTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// The two lines under a header: ` N | <source>` and `   | <spaces>^`.
  static func sourceAndCaret(line number: Int, column: Int, source: String) -> [String] {
    let gutter = String(number)
    let pad = String(repeating: " ", count: gutter.count)
    var prefix = ""
    for (index, scalar) in source.unicodeScalars.enumerated() where index < column - 1 {
      prefix.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
    }
    prefix += String(repeating: " ", count: max(0, column - 1 - source.unicodeScalars.count))
    return [" \(gutter) | \(source)", " \(pad) | \(prefix)^"]
  }

  @Test("bad-role.yaml renders header, source line and caret exactly")
  func exactRendering() async {
    let path = "Tests/Fixtures/schema/invalid/bad-role.yaml"
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    #expect(
      result.stderr.lines == [
        "\(path):10:11: error: 'nodes[0].role' must be one of 'mixed', 'worker', found 'master'; "
          + "did you mean 'mixed'?",
        " 10 |     role: master",
        "    |           ^",
      ],
      "stderr:\n\(result.stderr)"
    )
    #expect(result.stdout.isEmpty)
  }

  @Test(
    "each invalid fixture shows its own source line and a caret at the column",
    arguments: Fixtures.invalid
  )
  func sourceLineAndCaret(path: String) async throws {
    let result = await mktopo.run(["validate", path])
    let lines = result.stderr.lines
    try #require(lines.count >= 3, "stderr:\n\(result.stderr)")
    let header = try #require(DiagnosticHeader(lines[0], file: path), "\(lines[0])")
    let source = try Fixtures.line(header.line, of: path)
    let expected = Self.sourceAndCaret(line: header.line, column: header.column, source: source)
    #expect(Array(lines[1...2]) == expected, "stderr:\n\(result.stderr)")
  }

  @Test("a duplicate key is an error with a note at the first declaration")
  func duplicateKeyNote() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("duplicate.yaml", Topologies.duplicateKey)
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "\(result.stdout)")
    #expect(
      result.stderr.lines == [
        "\(path):6:3: error: duplicate key 'name' in cluster",
        " 6 |   name: other",
        "   |   ^",
        "\(path):4:3: note: first declared here",
        " 4 |   name: homelab",
        "   |   ^",
      ],
      "stderr:\n\(result.stderr)"
    )
  }

  @Test("every problem of a file is reported in one run, in file order")
  func everyProblemInFileOrder() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write(
      "three-problems.yaml",
      """
      apiVersion: mktopo/v1
      kind: Topology
      cluster:
        name: homelab
        version: "1.28"
      owner: me
      nodes:
        - name: node1
          address: 192.168.1.10
          role: master
        - name: node2
          address: 192.168.1.11
          connection: { port: 0 }

      """
    )
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let headers = result.stderr.lines.compactMap { DiagnosticHeader($0, file: path) }
    let errors = headers.filter { $0.severity == "error" }
    #expect(
      errors.map { "\($0.line):\($0.column)" } == ["6:1", "10:11", "13:25"],
      "stderr:\n\(result.stderr)"
    )
    #expect(errors.first?.message.contains("unknown key 'owner'") == true)
    #expect(errors.last?.message.contains("between 1 and 65535") == true)
  }

  @Test("columns count Unicode scalars, and the caret lines up under them")
  func unicodeColumns() async throws {
    let directory = try TemporaryDirectory()
    let line3 = #"cluster: {name: "é€𝄞x", version: "1.28", bogus: 1}"#
    let path = try directory.write(
      "unicode.yaml",
      "apiVersion: mktopo/v1\nkind: Topology\n\(line3)\nnodes:\n"
        + "  - name: node1\n    address: 192.168.1.10\n"
    )
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let lines = result.stderr.lines
    let bogus = try #require(
      lines.firstIndex { $0.hasPrefix("\(path):3:42: error: unknown key 'bogus'") }
    )
    try #require(lines.count > bogus + 2)
    #expect(
      Array(lines[(bogus + 1)...(bogus + 2)])
        == Self.sourceAndCaret(line: 3, column: 42, source: line3),
      "stderr:\n\(result.stderr)"
    )
  }

  @Test("CRLF line breaks: the source line is shown without its carriage return")
  func crlfSourceLine() async throws {
    let directory = try TemporaryDirectory()
    let text =
      "apiVersion: mktopo/v1\r\nkind: Topology\r\ncluster:\r\n  name: homelab\r\n"
      + "  version: \"1.28\"\r\n  region: eu\r\nnodes:\r\n  - name: node1\r\n"
      + "    address: 192.168.1.10\r\n"
    let path = try directory.write("crlf.yaml", text)
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    #expect(
      result.stderr.lines.prefix(3).map { $0 }
        == [
          "\(path):6:3: error: unknown key 'region' in cluster; expected one of 'name', 'version'",
          " 6 |   region: eu",
          "   |   ^",
        ],
      "stderr:\n\(result.stderr.debugDescription)"
    )
    #expect(!result.stderr.contains("\r"))
  }

  @Test("a YAML syntax error carries libyaml's context as a positioned note")
  func syntaxErrorNote() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("syntax.yaml", "apiVersion: mktopo/v1\nkind: [Topology\n")
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let headers = result.stderr.lines.compactMap { DiagnosticHeader($0, file: path) }
    try #require(headers.count == 2, "stderr:\n\(result.stderr)")
    #expect(headers[0].severity == "error")
    #expect(headers[0].message.hasPrefix("YAML syntax error: "), "\(headers[0])")
    #expect(headers[1].severity == "note")
    #expect("\(headers[1].line):\(headers[1].column)" == "2:7", "\(headers[1])")
    #expect(headers[1].message.contains("flow sequence"), "\(headers[1])")
  }

  @Test("with a byte-order mark, line 1 columns are those an editor shows")
  func byteOrderMarkColumns() async throws {
    let directory = try TemporaryDirectory()
    let text = """
      apiVersion: mktopo/v9
      kind: Topology
      cluster:
        name: homelab
        version: "1.28"
      nodes:
        - name: node1
          address: 192.168.1.10

      """
    let path = try directory.write("bom.yaml", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let first = try #require(result.stderr.lines.first)
    let header = try #require(DiagnosticHeader(first, file: path), "\(first)")
    #expect(header.message.contains("unsupported apiVersion 'mktopo/v9'"), "\(first)")
    // `apiVersion: ` is 12 characters: an editor (which does not show the BOM) puts the
    // value at column 13, and so does libyaml when it detects the encoding itself.
    #expect("\(header.line):\(header.column)" == "1:13", "\(first)")
    try #require(result.stderr.lines.count >= 3, "stderr:\n\(result.stderr)")
    #expect(
      Array(result.stderr.lines[1...2])
        == [" 1 | \u{FEFF}apiVersion: mktopo/v9", "   |             ^"]
        || Array(result.stderr.lines[1...2])
          == [" 1 | apiVersion: mktopo/v9", "   |             ^"],
      "stderr:\n\(result.stderr)"
    )
  }
}
