import Foundation
import MembershipCore
import Testing

/// What decoding an invalid fixture reports: every error, in order.
private let invalidFixtureErrors:
  [String: (errors: [(line: Int, column: Int, phrase: String)], schema: Bool)] = [
    "trailing-comma.json": ([(5, 113, "a trailing comma before ']' is not allowed")], true),
    "unknown-key.json": (
      // Not also "missing 'internalIP'": the suggestion already says what to write.
      [(5, 23, "unknown key 'internalIp' in 'nodes[0]'; did you mean 'internalIP'?")],
      true
    ),
    "missing-key.json": (
      [
        (1, 1, "the snapshot is missing required key 'unreachable'"),
        (5, 5, "'nodes[0]' is missing required key 'ready'"),
      ],
      true
    ),
    "wrong-type.json": (
      [(5, 79, "'nodes[0].ready' must be true or false, found the string 'yes'")], true
    ),
    "bad-address.json": (
      [(5, 37, "invalid address '192.168.1.300' in 'nodes[0].internalIP'")], true
    ),
    "bad-port.json": ([(8, 17, "invalid port '70000' in 'datastore[0].address'")], true),
    "ipv6-without-brackets.json": ([(8, 17, "write an IPv6 address in brackets")], true),
    "bad-role.json": (
      [(5, 61, "'nodes[0].role' must be 'mixed', 'worker' or null, found 'master'")], true
    ),
    "bad-datastore-role.json": ([(8, 47, "found 'leader'")], true),
    "bad-finding.json": ([(7, 34, "'probes[0].finding' must be 'standalone'")], true),
    "bad-track.json": ([(7, 57, "invalid MicroK8s track '1.28/lts'")], true),
    "standalone-without-track.json": ([(7, 5, "is missing key 'track'")], true),
    "format-version-2.json": ([(2, 20, "'formatVersion' must be 1, found the number 2")], true),
    "not-an-object.json": ([(1, 1, "the snapshot must be an object, found an array")], true),
    "uppercase-node-name.json": ([(7, 19, "invalid node name 'Node3'")], true),
    // Python's json module has no duplicate-key check; the schema check adds one.
    "duplicate-key.json": ([(8, 3, "duplicate key 'nodes' in the snapshot")], true),
    // Beyond JSON Schema: uniqueness by one field, and references between lists.
    "duplicate-node.json": ([(6, 5, "duplicate node 'node1'")], false),
    "duplicate-datastore-address.json": (
      [(9, 5, "duplicate datastore member '192.168.1.10:19001'")], false
    ),
    "contact-not-a-node.json": ([(3, 14, "the contact 'node9' is not one of 'nodes'")], false),
  ]

@Suite("Observed snapshot: fixtures and schema/observed.schema.json")
struct ObservedSnapshotFixtureTests {
  static let valid = PackagePaths.jsonFiles(in: "Tests/Fixtures/observed/valid")
  static let invalid = PackagePaths.jsonFiles(in: "Tests/Fixtures/observed/invalid")
  static let schema = "schema/observed.schema.json"

  @Test("there are fixtures, and every invalid one has its expected errors listed")
  func fixturesPresent() {
    #expect(Self.valid.count >= 4)
    #expect(Self.invalid.count >= 8)
    let names = Set(Self.invalid.map { String($0.split(separator: "/").last ?? "") })
    #expect(names == Set(invalidFixtureErrors.keys))
  }

  @Test("every valid fixture decodes, is canonical, and is valid for the schema")
  func validFixtures() throws {
    let verdicts = try SchemaCheck.verdicts(schema: Self.schema, files: Self.valid)
    for file in Self.valid {
      let bytes = try PackagePaths.bytes(file)
      let load = ObservedSnapshot.decode(bytes, file: file)
      #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
      if let observed = load.observed {
        // Written the way `mktopo observe` writes them, so they double as golden files.
        #expect(
          ObservedSnapshot.encode(observed, cluster: load.cluster)
            == String(decoding: bytes, as: UTF8.self),
          "\(file) is not in canonical form"
        )
      }
      #expect(verdicts[file] == "valid", "schema: \(verdicts[file] ?? "no verdict") for \(file)")
    }
  }

  @Test("every invalid fixture is rejected with its errors, and by the schema where it can")
  func invalidFixtures() throws {
    let verdicts = try SchemaCheck.verdicts(schema: Self.schema, files: Self.invalid)
    for file in Self.invalid {
      let name = String(file.split(separator: "/").last ?? "")
      guard let expected = invalidFixtureErrors[name] else { continue }
      let load = ObservedSnapshot.decode(try PackagePaths.bytes(file), file: file)
      #expect(load.observed == nil, "\(file) decodes")
      let got = load.diagnostics.map { ($0.position?.line, $0.position?.column, $0.message) }
      #expect(got.count == expected.errors.count, "\(file): \(load.diagnostics.map(\.description))")
      for (diagnostic, want) in zip(load.diagnostics, expected.errors) {
        #expect(diagnostic.file == file)
        #expect(
          diagnostic.position == SourcePosition(line: want.line, column: want.column)
            && diagnostic.message.contains(want.phrase),
          "\(file): expected \(want.line):\(want.column) \"\(want.phrase)\", got \(diagnostic)"
        )
      }
      if expected.schema {
        #expect(verdicts[file] != "valid", "the schema accepts \(file)")
        #expect(verdicts[file] != nil, "no schema verdict for \(file)")
      } else {
        // Documented as a loader-only check; if the schema learns it, move it over.
        #expect(verdicts[file] == "valid", "schema: \(verdicts[file] ?? "none") for \(file)")
      }
    }
  }

  @Test("what the encoder writes is valid for the schema")
  func encoderOutputMatchesSchema() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mktopo-observed-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("sample.json")
    try ObservedSnapshot.encode(.everyKindOfFact, cluster: "homelab").write(
      to: file,
      atomically: true,
      encoding: .utf8
    )
    let verdicts = try SchemaCheck.verdicts(schema: Self.schema, files: [file.path])
    #expect(verdicts[file.path] == "valid", "\(verdicts)")
  }
}
