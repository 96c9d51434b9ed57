import MembershipCore
import Testing

/// Decoding beyond single rules: how problems are reported, size and encoding limits,
/// escapes, and damaged input.
extension ObservedSnapshotProblemTests {
  @Test("a duplicate points back at the first one")
  func duplicateNote() throws {
    let marked = MarkedYAML(
      Self.document(
        nodes: "①" + Self.node1 + ",\n    ②"
          + Self.node1.replacingOccurrences(of: ".1\"", with: ".2\"")
      )
    )
    let diagnostics = ObservedSnapshot.decode(marked.text).diagnostics
    try #require(diagnostics.count == 1, "\(diagnostics)")
    #expect(diagnostics[0].position == marked.position("②"))
    #expect(diagnostics[0].notes.map(\.position) == [marked.position("①")])
    #expect(diagnostics[0].notes.first?.message == "first listed here")
  }

  @Test("every problem is reported in one pass, in file order")
  func allProblemsAtOnce() {
    let marked = MarkedYAML(
      Self.document(
        contact: "①\"node9\"",
        nodes: Self.node1.replacingOccurrences(of: "\"mixed\"", with: "②\"boss\""),
        datastore: #"{"address": ③"10.0.0.1:0", "role": "voter"}"#,
        unreachable: "④\"Bad\""
      )
    )
    let diagnostics = ObservedSnapshot.decode(marked.text).diagnostics
    #expect(diagnostics.map(\.position) == ["②", "③", "④"].map { marked.position($0) })
    // node1 has a problem, so whether node9 is among the nodes is not asked.
    #expect(!diagnostics.contains { $0.message.contains("node9") })
  }

  @Test("an unknown format version is the only thing reported")
  func versionFirst() {
    let diagnostics = ObservedSnapshot.decode(Self.document(version: "2", nodes: "\"nonsense\""))
      .diagnostics
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.message.contains("formatVersion") == true)
  }

  @Test("a file over 16 MiB is refused before parsing")
  func tooLarge() {
    var bytes = Array(Self.document().utf8)
    bytes += [UInt8](repeating: 0x20, count: ObservedSnapshot.maxFileSize + 1 - bytes.count)
    let load = ObservedSnapshot.decode(bytes, file: "big.json")
    #expect(load.observed == nil)
    #expect(load.diagnostics.count == 1)
    #expect(load.diagnostics.first?.message.contains("larger than 16777216 bytes (16 MiB)") == true)
    #expect(load.diagnostics.first?.position == SourcePosition(line: 1, column: 1))
    // Exactly at the limit is read (and here is valid).
    bytes.removeLast()
    #expect(ObservedSnapshot.decode(bytes, file: "big.json").isValid)
  }

  @Test("invalid UTF-8 is reported at its byte")
  func invalidUTF8() {
    var bytes = Array("{\n  \"contact\": \"no".utf8)
    bytes.append(0xFF)
    let load = ObservedSnapshot.decode(bytes, file: "s.json")
    #expect(load.diagnostics.count == 1)
    #expect(load.diagnostics.first?.message.contains("not valid UTF-8 (byte 0xFF") == true)
    #expect(load.diagnostics.first?.position == SourcePosition(line: 2, column: 17))
  }

  @Test("columns count characters, not bytes")
  func columnsCountScalars() {
    let marked = MarkedYAML(Self.document(contact: "\"né\", \"x\": ①1"))
    let diagnostics = ObservedSnapshot.decode(marked.text).diagnostics
    #expect(diagnostics.first { $0.message.contains("unknown key 'x'") } != nil)
    let invalid = diagnostics.first { $0.message.contains("invalid node name 'né'") }
    #expect(invalid?.position == SourcePosition(line: 3, column: 14))
  }

  @Test("a byte-order mark is skipped and not counted")
  func byteOrderMark() {
    let valid = [0xEF, 0xBB, 0xBF] + Array(Self.document().utf8)
    #expect(ObservedSnapshot.decode(valid, file: "s.json").isValid)
    let invalid = [0xEF, 0xBB, 0xBF] + Array("[]".utf8)
    let position = ObservedSnapshot.decode(invalid, file: "s.json").diagnostics.first?.position
    #expect(position == SourcePosition(line: 1, column: 1))
  }

  @Test("escapes decode to the characters they stand for")
  func escapes() throws {
    let text = Self.document(
      nodes: Self.node1.replacingOccurrences(
        of: "\"v1.28.3\"",
        with: #""v\u0031\/\"\\\n\t\ud83d\ude00""#
      )
    )
    let observed = try #require(ObservedSnapshot.decode(text).observed)
    #expect(observed.nodes.first?.kubeletVersion == "v1/\"\\\n\t😀")
    // The canonical form escapes what it must and round-trips.
    #expect(ObservedSnapshot.decode(ObservedSnapshot.encode(observed)).observed == observed)
  }

  @Test("more than 1000 problems are summarised")
  func diagnosticCap() {
    let bad = Self.node1.replacingOccurrences(of: "\"mixed\"", with: "\"boss\"")
    let nodes = (0..<1200).map { bad.replacingOccurrences(of: "node1", with: "n\($0)") }
    let diagnostics = ObservedSnapshot.decode(
      Self.document(contact: "null", nodes: nodes.joined(separator: ",\n"))
    )
    .diagnostics
    #expect(diagnostics.count == ObservedSnapshot.maxDiagnostics + 1)
    #expect(diagnostics.last?.message == "too many problems; 200 more not shown")
  }

  @Test("damaged snapshots never trap, and what decodes re-encodes stably")
  func damagedInput() throws {
    let original = Array(ObservedSnapshot.encode(.everyKindOfFact, cluster: "homelab").utf8)
    var random = SplitMix64(seed: 42)
    let alphabet = Array(#"{}[],:" \abcnrtu0123456789.-e"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF]
    for iteration in 0..<3000 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes[index] = alphabet.randomElement(using: &random) ?? 0
        case 1: bytes.remove(at: index)
        case 2: bytes.insert(alphabet.randomElement(using: &random) ?? 0, at: index)
        default: bytes = Array(bytes[..<index])
        }
        if bytes.isEmpty { bytes = [0x20] }
      }
      let load = ObservedSnapshot.decode(bytes, file: "s.json")
      if let observed = load.observed {
        let again = ObservedSnapshot.decode(
          Array(ObservedSnapshot.encode(observed).utf8),
          file: "s.json"
        )
        #expect(again.observed == observed.canonicallyOrdered(), "iteration \(iteration)")
      } else {
        #expect(load.diagnostics.containsErrors, "iteration \(iteration)")
        #expect(
          load.diagnostics.allSatisfy { $0.position != nil || $0.message.hasPrefix("too many") },
          "iteration \(iteration)"
        )
      }
    }
  }
}
