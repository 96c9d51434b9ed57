import Foundation
import Testing

/// Big and hostile input through the CLI: refused quickly, with a clear message.
///
/// The time bounds catch a hang or a blow-up (unbounded reads, alias expansion, libyaml's
/// quadratic flow nesting take minutes), not speed: the tests share a loaded 2-core
/// machine with every other test, and speed is for `make bench`.
@Suite("validate: big and hostile input")
struct HostileInputTests {
  static let limit = 4 * 1024 * 1024
  /// Far above a healthy run (well under a second alone), far below a blow-up.
  static let bound: Duration = .seconds(60)

  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// `lines` copies of a 100-byte comment line.
  static func commentLines(_ count: Int) -> [UInt8] {
    let line = Array(("#" + String(repeating: "x", count: 98) + "\n").utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(line.count * count)
    for _ in 0..<count { bytes += line }
    return bytes
  }

  /// Runs `validate FILE`; returns the result and how long it took.
  func timedValidate(_ path: String) async -> (CommandRunner.Output, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = await mktopo.run(["validate", path])
    return (result, clock.now - start)
  }

  @Test("a 5 MiB file: exit 1 at once, with a message about the 4 MiB limit")
  func fiveMebibyteFile() async throws {
    let directory = try TemporaryDirectory()
    let bytes = try Fixtures.bytes("examples/three-node-ha.yaml") + Self.commentLines(52_429)
    #expect(bytes.count > 5 * 1024 * 1024)
    let path = try directory.write("big.yaml", bytes)
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let first = try #require(result.stderr.lines.first)
    #expect(first.hasPrefix("\(path):1:1: error: "), "\(first)")
    #expect(first.contains("4 MiB"), "\(first)")
    #expect(first.contains("larger than \(Self.limit) bytes"), "\(first)")
    #expect(elapsed < Self.bound, "refusing a 5 MiB file took \(elapsed)")
    // The reader stops at 4 MiB + 1 byte, so the message must not present that as the size.
    #expect(!first.contains("\(Self.limit + 1)"), "\(first)")
  }

  @Test("a 5 MiB file with no line break does not echo megabytes of it to stderr")
  func fiveMebibyteSingleLine() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write(
      "one-line.yaml",
      [UInt8](repeating: UInt8(ascii: "#"), count: 5 << 20)
    )
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1)
    #expect(result.stderr.contains("4 MiB"))
    #expect(elapsed < Self.bound, "refusing a 5 MiB line took \(elapsed)")
    #expect(result.stderr.utf8.count < 64 * 1024, "stderr holds \(result.stderr.utf8.count) bytes")
  }

  @Test("a file of exactly 4 MiB is not refused for its size")
  func exactlyAtTheLimit() async throws {
    let directory = try TemporaryDirectory()
    var bytes = try Fixtures.bytes("examples/three-node-ha.yaml")
    bytes += Self.commentLines((Self.limit - bytes.count) / 100)
    bytes += [UInt8](repeating: UInt8(ascii: "\n"), count: Self.limit - bytes.count)
    #expect(bytes.count == Self.limit)
    let path = try directory.write("limit.yaml", bytes)
    let (result, _) = await timedValidate(path)
    #expect(result.status == 0, "stderr:\n\(result.stderr.prefix(500))")
    #expect(result.stdout.hasPrefix("\(path): valid"), "\(result.stdout)")

    let over = try directory.write("over.yaml", bytes + [UInt8(ascii: "\n")])
    let (overResult, _) = await timedValidate(over)
    #expect(overResult.status == 1)
    #expect(overResult.stderr.contains("4 MiB"), "\(overResult.stderr.prefix(500))")
  }

  @Test("a file that is not UTF-8 (0xFF 0xFE ...): exit 1, not valid UTF-8")
  func notUTF8() async throws {
    let directory = try TemporaryDirectory()
    // A UTF-16LE byte-order mark and text, as some Windows editors save it.
    let bytes: [UInt8] = [0xFF, 0xFE] + Array("apiVersion".utf8).flatMap { [$0, 0] }
    let path = try directory.write("utf16.yaml", bytes)
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let first = try #require(result.stderr.lines.first)
    #expect(first.hasPrefix("\(path):1:1: error: "), "\(first)")
    #expect(first.contains("not valid UTF-8"), "\(first)")
    #expect(first.contains("0xFF"), "\(first)")
  }

  @Test("an invalid UTF-8 sequence inside the file is reported at its line and column")
  func invalidSequenceMidFile() async throws {
    let directory = try TemporaryDirectory()
    let bytes =
      Array("apiVersion: mktopo/v1\nkind: Topology\ncluster:\n  name: \"ab".utf8)
      + [0xC3, 0x28] + Array("\"\n".utf8)
    let path = try directory.write("mid.yaml", bytes)
    let result = await mktopo.run(["validate", "-", path], stdin: bytes)
    #expect(result.status == 1)
    let lines = result.stderr.lines
    #expect(
      lines.contains { $0.hasPrefix("<stdin>:4:12: error: ") && $0.contains("not valid UTF-8") }
    )
    #expect(
      lines.contains { $0.hasPrefix("\(path):4:12: error: ") && $0.contains("not valid UTF-8") }
    )
  }

  @Test("billion laughs: 9 levels of 9 aliases under `nodes` are refused quickly")
  func billionLaughs() async throws {
    var text = "apiVersion: mktopo/v1\nkind: Topology\ncluster:\n  name: lol\n"
    text += "  version: \"1.28\"\nnodes:\n  - &l0 [\"lol\"]\n"
    for level in 1...9 {
      let aliases = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
      text += "  - &l\(level) [\(aliases)]\n"
    }
    let directory = try TemporaryDirectory()
    let path = try directory.write("laughs.yaml", text)
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let first = try #require(result.stderr.lines.first)
    #expect(first.hasPrefix("\(path):"), "\(first)")
    #expect(first.contains(": error: "), "\(first)")
    #expect(first.contains("aliases"), "\(first)")
    #expect(elapsed < Self.bound, "took \(elapsed)")
  }

  @Test("billion laughs through merge keys (<<) are refused too")
  func mergeKeyLaughs() async throws {
    var text = "apiVersion: mktopo/v1\nkind: Topology\ncluster:\n  name: lol\n"
    text += "  version: \"1.28\"\nnodes:\n  - &m0 {name: a}\n"
    for level in 1...9 {
      let aliases = Array(repeating: "*m\(level - 1)", count: 9).joined(separator: ", ")
      text += "  - &m\(level)\n    <<: [\(aliases)]\n"
    }
    let directory = try TemporaryDirectory()
    let path = try directory.write("merge-laughs.yaml", text)
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1)
    #expect(result.stderr.lines.first?.contains("aliases") == true, "\(result.stderr.prefix(500))")
    #expect(elapsed < Self.bound, "took \(elapsed)")
  }

  /// Ways to nest collections 100,000 levels deep (generated in the test, so that the
  /// test's name stays short).
  enum Nesting: String, CaseIterable, Sendable {
    case flowSequences = "flow sequences"
    case flowMappings = "flow mappings"
    case blockSequences = "block sequences"

    var body: String {
      switch self {
      case .flowSequences: "nodes: " + String(repeating: "[", count: 100_000) + "\n"
      case .flowMappings: "nodes: " + String(repeating: "{a: ", count: 100_000) + "\n"
      case .blockSequences: "nodes:\n  " + String(repeating: "- ", count: 100_000) + "x\n"
      }
    }
  }

  @Test("100,000 levels of nesting: an error about the depth", arguments: Nesting.allCases)
  func deepNesting(_ nesting: Nesting) async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("deep.yaml", "apiVersion: mktopo/v1\n" + nesting.body)
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1, "\(nesting): \(result.stderr.prefix(300))")
    let first = try #require(result.stderr.lines.first)
    let header = try #require(DiagnosticHeader(first, file: path), "\(first.prefix(300))")
    #expect(header.severity == "error")
    #expect(header.message.contains("nested more than 64"), "\(nesting): \(first.prefix(300))")
    #expect(elapsed < Self.bound, "\(nesting) took \(elapsed)")
  }

  @Test("a million levels of block nesting: refused at the depth limit, near its start")
  func millionBlockLevels() async throws {
    let directory = try TemporaryDirectory()
    let text =
      "apiVersion: mktopo/v1\nkind: Topology\ncluster:\n  name: deep\n  version: \"1.28\"\n"
      + "nodes:\n" + String(repeating: "- ", count: 1_000_000) + "x\n"
    let path = try directory.write("block.yaml", text)
    let (result, elapsed) = await timedValidate(path)
    #expect(result.status == 1)
    let first = try #require(result.stderr.lines.first)
    let header = try #require(DiagnosticHeader(first, file: path), "\(first.prefix(300))")
    #expect(header.severity == "error")
    #expect(header.message.contains("block collections are nested more than 64 levels deep"))
    // Stopped within a read chunk of the limit: libyaml never saw the rest of the line.
    #expect(header.line == 7 && header.column < 1_000, "\(header)")
    #expect(result.stderr.lines.count == 3, "one error, its line and its caret:\n\(result.stderr)")
    #expect(elapsed < Self.bound, "took \(elapsed)")
  }

  @Test("two YAML documents: more than one YAML document, with a note at the first")
  func twoDocuments() async throws {
    let directory = try TemporaryDirectory()
    let text = try Fixtures.text("examples/single-node.yaml")
    let path = try directory.write("two.yaml", text + "---\n" + text)
    let documentLine = text.lines.count + 1
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    let headers = result.stderr.lines.compactMap { DiagnosticHeader($0, file: path) }
    try #require(headers.count == 2, "stderr:\n\(result.stderr)")
    #expect(headers[0].severity == "error")
    #expect(headers[0].line == documentLine, "\(headers[0])")
    #expect(headers[0].message.contains("more than one YAML document"), "\(headers[0])")
    #expect(headers[1].severity == "note")
    #expect(headers[1].message.contains("first document"), "\(headers[1])")
  }
}

@Suite("validate: endless input")
struct EndlessInputTests {
  @Test("/dev/zero is refused at the size limit, quickly and without echoing it")
  func devZero() async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try await CommandRunner.mktopo().run(["validate", "/dev/zero"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("/dev/zero:1:1: error: the file is larger than 4194304 bytes"))
    #expect(result.stderr.utf8.count < 1024, "\(result.stderr.utf8.count) bytes on stderr")
    #expect(clock.now - start < HostileInputTests.bound)
  }
}
