import MembershipCore
import Testing

/// Malformed and malicious input: always diagnostics with positions, never a trap or hang.
@Suite("Hostile input")
struct HostileInputTests {
  private func load(_ text: String) -> TopologyLoad {
    TopologyLoader.load(Array(text.utf8), file: "t.yaml")
  }

  private func onlyError(
    _ load: TopologyLoad,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Diagnostic? {
    #expect(load.topology == nil, sourceLocation: sourceLocation)
    let errors = load.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1, "\(load.diagnostics)", sourceLocation: sourceLocation)
    return errors.first
  }

  /// Nine levels of nine aliases: 9^9 nodes if expanded, a few hundred bytes on disk.
  static func billionLaughs(under key: String) -> String {
    var text = validHeader + "\(key):\n"
    text +=
      "  - &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    for level in 1...9 {
      let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
      text += "  - &l\(level) [\(refs)]\n"
    }
    return text
  }

  @Test("a billion-laughs file is refused by the alias budget", arguments: ["nodes", "extra"])
  func billionLaughs(key: String) throws {
    let error = try #require(onlyError(load(Self.billionLaughs(under: key))))
    #expect(error.message.contains("aliases expand this node beyond the limit"))
    #expect(error.position != nil)
  }

  @Test("nested merge keys cannot multiply work either")
  func mergeBomb() throws {
    var text = validHeader + "x0: &m0 {name: a, address: 10.0.0.1}\n"
    for level in 1...12 {
      let refs = (0..<8).map { _ in "*m\(level - 1)" }.joined(separator: ", ")
      text += "x\(level): &m\(level) {<<: [\(refs)]}\n"
    }
    text += "nodes: [*m12]\n"
    let error = try #require(load(text).diagnostics.first { $0.message.contains("aliases expand") })
    #expect(error.severity == .error)
  }

  @Test("a recursive alias is refused")
  func recursiveAlias() throws {
    let error = try #require(
      onlyError(load(validHeader + "nodes: &n [{name: a, address: 10.0.0.1}, *n]\n"))
    )
    #expect(error.message.contains("recursive aliases are not allowed"))
  }

  @Test("a handful of aliases stays within budget")
  func modestAliases() {
    var text = validHeader + "defaults:\n  connection: &c {user: ops}\nnodes:\n"
    for index in 1...50 {
      text += "  - {name: n\(index), address: 10.0.1.\(index), connection: *c}\n"
    }
    #expect(load(text).topology?.nodes.count == 50)
  }

  @Test("deep nesting is an error, not a stack overflow")
  func deepNesting() {
    let depth = 1_000_000
    let text =
      validHeader + "nodes: " + String(repeating: "[", count: depth)
      + String(repeating: "]", count: depth) + "\n"
    let load = load(text)
    #expect(load.topology == nil)
    let error = load.diagnostics.first
    #expect(error?.message.contains("nested more than 64 levels") == true, "\(load.diagnostics)")
    // libyaml is stopped within one read chunk of the limit, long before the end.
    #expect(error?.position?.line == 6)
    #expect((error?.position?.column ?? 0) < 1_000)
  }

  /// Ways to nest block collections a million levels deep, each within the size cap.
  enum BlockNesting: String, CaseIterable, Sendable {
    case sequencesOnOneLine = "'- ' on one line"
    case complexKeysOnOneLine = "'? ' on one line"
    case mixedOnOneLine = "'- ? ' on one line"
    case indentedMappings = "mappings by indentation"

    var text: String {
      switch self {
      case .sequencesOnOneLine: "nodes:\n" + String(repeating: "- ", count: 1_000_000) + "x\n"
      case .complexKeysOnOneLine: "nodes:\n" + String(repeating: "? ", count: 1_000_000) + "x\n"
      case .mixedOnOneLine: "nodes:\n" + String(repeating: "- ? ", count: 500_000) + "x\n"
      // One more space per level: 2,000 levels are 2 MB.
      case .indentedMappings:
        "nodes:\n" + (1..<2_000).map { String(repeating: " ", count: $0) + "a:\n" }.joined()
      }
    }
  }

  @Test("deep block nesting is refused as libyaml reaches it", arguments: BlockNesting.allCases)
  func deepBlockNesting(_ nesting: BlockNesting) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let load = load(validHeader + nesting.text)
    let elapsed = clock.now - start
    let error = try #require(onlyError(load))
    #expect(error.message.contains("block collections are nested more than 64 levels deep"))
    // libyaml is stopped within one read chunk of the limit, long before the end: nothing
    // after that is scanned or built (a million levels took a second and 550 MB).
    let position = try #require(error.position)
    if nesting == .indentedMappings {
      #expect((70..<100).contains(position.line), "\(position)")
    } else {
      #expect(position.line == 7, "\(position)")
      #expect(position.column < 1_000, "\(position)")
    }
    #expect(elapsed < .seconds(5), "refusing took \(elapsed)")
  }

  @Test("block nesting up to the limit is not refused for its depth")
  func blockNestingWithinLimit() {
    let shallow = load(validHeader + "nodes:\n" + String(repeating: "- ", count: 60) + "x\n")
    #expect(
      !shallow.diagnostics.contains { $0.message.contains("nested") },
      "\(shallow.diagnostics)"
    )
    let deep = load(validHeader + "nodes:\n" + String(repeating: "- ", count: 70) + "x\n")
    #expect(deep.diagnostics.first?.message.contains("nested more than 64") == true)
  }

  @Test("many flat flow collections are fine")
  func manyFlowCollections() {
    let nodes = (1...300).map { "{name: n\($0), address: 10.0.\($0 / 256).\($0 % 256)}" }
    let load = load(validHeader + "nodes: [" + nodes.joined(separator: ", ") + "]\n")
    #expect(load.topology?.nodes.count == 300, "\(load.diagnostics.prefix(3))")
  }

  @Test("a file over 4 MiB is refused before parsing")
  func oversized() throws {
    let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: TopologyLoader.maxFileSize + 1)
    let error = try #require(onlyError(TopologyLoader.load(bytes, file: "t.yaml")))
    #expect(error.message.contains("larger than 4194304 bytes (4 MiB)"))
    #expect(error.position == .start)
  }

  @Test("non-UTF-8 input is refused at the first bad byte")
  func notUTF8() throws {
    let bytes =
      Array("apiVersion: mktopo/v1\nkind: To".utf8) + [0xC3, 0x28] + Array("pology\n".utf8)
    let error = try #require(onlyError(TopologyLoader.load(bytes, file: "t.yaml")))
    #expect(error.message.contains("not valid UTF-8 (byte 0xC3 at offset 30)"))
    #expect(error.position == SourcePosition(line: 2, column: 9))
  }

  @Test("UTF-16 is refused; a UTF-8 byte-order mark is fine")
  func byteOrderMarks() {
    let utf16: [UInt8] = [0xFF, 0xFE, UInt8(ascii: "a"), 0]
    #expect(
      TopologyLoader.load(utf16, file: "t.yaml").diagnostics.first?.message.contains("UTF-8")
        == true
    )
    let bom: [UInt8] =
      [0xEF, 0xBB, 0xBF] + Array((validHeader + "nodes: [{name: a, address: 10.0.0.1}]\n").utf8)
    #expect(TopologyLoader.load(bom, file: "t.yaml").topology != nil)
  }

  @Test("overlong encodings and surrogates are not UTF-8")
  func malformedSequences() {
    for bad: [UInt8] in [
      [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ] {
      let load = TopologyLoader.load(Array("kind: ".utf8) + bad, file: "t.yaml")
      #expect(load.diagnostics.first?.message.contains("not valid UTF-8") == true, "\(bad)")
    }
  }

  @Test("an empty file, a comment-only file and control characters are diagnosed")
  func emptyAndControl() {
    #expect(load("").diagnostics.first?.message.contains("the file is empty") == true)
    #expect(
      load("# nothing here\n").diagnostics.first?.message.contains("the file is empty") == true
    )
    let control = load("apiVersion: mktopo\u{7}/v1\n")
    #expect(control.diagnostics.first?.message.contains("YAML syntax error") == true)
    #expect(control.diagnostics.first?.position == SourcePosition(line: 1, column: 19))
  }

  @Test("values with control characters are shown escaped in messages")
  func escapedValues() throws {
    let error = try #require(
      load(validHeader + "nodes:\n  - name: \"a\\nb\"\n    address: 10.0.0.1\n").diagnostics.first
    )
    #expect(error.message.contains("'a\\nb'"))
    #expect(!error.message.contains("\n"))
  }

  @Test("too many problems are capped with a count of the rest")
  func cap() {
    let keys = (0..<1500).map { "  k\($0): 1\n" }.joined()
    let load = load(validHeader + "policy:\n" + keys + "nodes: [{name: a, address: 10.0.0.1}]\n")
    #expect(load.diagnostics.count == TopologyLoader.maxDiagnostics + 1)
    #expect(load.diagnostics.last?.message == "too many problems; 500 more not shown")
  }

  /// Random edits of a valid file: every result is either a topology or errors.
  @Test("seeded mutations never trap", arguments: 0..<8)
  func mutations(seed: UInt64) {
    let base = Array(
      (validHeader
        + "defaults:\n  connection: &c {user: ops, port: 22}\npolicy: {prune: false, joinTimeout: 5m}\n"
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n    connection: *c\n  - {name: b, address: \"fd00::2\", role: worker}\n")
        .utf8
    )
    var random = SplitMix64(seed: seed)
    let alphabet = Array(" \n\t:-[]{}&*!|>'\"#,?%@`\\<0123456789abcxyz.\u{7F}".utf8) + [0xC3, 0xFF]
    for _ in 0..<400 {
      var bytes = base
      for _ in 0..<(1 + Int(random.next() % 6)) {
        let index = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 4 {
        case 0: bytes[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
        case 1: bytes.remove(at: index)
        case 2: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
        default:
          // A version, port, duration or address part longer than any integer type.
          let digits = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) }
          let at = digits.isEmpty ? index : digits[Int(random.next() % UInt64(digits.count))]
          let length = [19, 20, 21, 400][Int(random.next() % 4)]
          let run = (0..<length).map { _ in 0x30 + UInt8(random.next() % 10) }
          bytes.insert(contentsOf: run, at: at)
        }
      }
      let load = TopologyLoader.load(bytes, file: "t.yaml")
      #expect(load.topology != nil || load.diagnostics.containsErrors, "seed \(seed)")
      #expect(
        load.diagnostics.allSatisfy { $0.position != nil || $0.message.hasPrefix("too many") },
        "seed \(seed)"
      )
    }
  }
}

/// A small seeded generator (the one argument-parser's examples use), so failures replay.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
