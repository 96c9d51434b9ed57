import Foundation
import Testing

/// `validate -`: the topology on standard input, reported as `<stdin>`.
@Suite("validate: standard input")
struct StandardInputTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  @Test("a valid topology on stdin: exit 0, the summary names <stdin>")
  func validOnStandardInput() async throws {
    let bytes = try Fixtures.bytes("examples/three-node-ha.yaml")
    let result = await mktopo.run(["validate", "--summary", "-"], stdin: bytes)
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let lines = result.stdout.lines
    #expect(lines.first?.hasPrefix("<stdin>: valid: cluster homelab") == true, "\(result.stdout)")
    #expect(lines.contains { $0.hasPrefix("worker1 ") && $0.contains("192.168.1.20") })
  }

  @Test("warnings for stdin name <stdin>")
  func warningsNameStandardInput() async {
    let result = await mktopo.run(["validate", "-"], stdin: Array(Topologies.twoMixedNodes.utf8))
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("<stdin>: valid (1 warning): "), "\(result.stdout)")
    let first = result.stderr.lines.first ?? ""
    #expect(first.hasPrefix("<stdin>:9:5: warning: "), "\(first)")
    #expect(result.stderr.lines.dropFirst().first == " 9 |   - name: node2", "\(result.stderr)")
  }

  @Test("an invalid topology on stdin: exit 1, `<stdin>:L:C: error:` and its source line")
  func invalidOnStandardInput() async throws {
    let bytes = try Fixtures.bytes("Tests/Fixtures/schema/invalid/bad-role.yaml")
    let result = await mktopo.run(["validate", "-"], stdin: bytes)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "\(result.stdout)")
    let lines = result.stderr.lines
    try #require(lines.count >= 3, "stderr:\n\(result.stderr)")
    let header = try #require(DiagnosticHeader(lines[0], file: "<stdin>"), "\(lines[0])")
    #expect(header.severity == "error")
    #expect("\(header.line):\(header.column)" == "10:11")
    #expect(lines[1] == " 10 |     role: master")
    #expect(lines[2] == "    |           ^")
  }

  @Test("stdin beside a file: each is reported under its own name")
  func standardInputBesideAFile() async throws {
    let bytes = try Fixtures.bytes("Tests/Fixtures/schema/invalid/port-zero.yaml")
    let result = await mktopo.run(["validate", "examples/single-node.yaml", "-"], stdin: bytes)
    #expect(result.status == 1)
    #expect(!result.stdout.contains("<stdin>"), "\(result.stdout)")
    #expect(result.stdout.hasPrefix("examples/single-node.yaml: valid"), "\(result.stdout)")
    #expect(result.stderr.hasPrefix("<stdin>:9:11: error: "), "\(result.stderr)")
  }

  @Test("empty stdin: exit 1, the file is empty")
  func emptyStandardInput() async {
    let result = await mktopo.run(["validate", "-"], stdin: [])
    #expect(result.status == 1)
    let first = result.stderr.lines.first ?? ""
    #expect(first.hasPrefix("<stdin>:1:1: error: the file is empty"), "\(first)")
  }

  @Test("stdin with a byte-order mark is accepted")
  func byteOrderMarkOnStandardInput() async throws {
    let bytes = try Fixtures.bytes("Tests/Fixtures/schema/valid/minimal-bom.yaml")
    #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
    let result = await mktopo.run(["validate", "-"], stdin: bytes)
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    #expect(result.stdout.hasPrefix("<stdin>: valid: cluster a "), "\(result.stdout)")
  }
}
