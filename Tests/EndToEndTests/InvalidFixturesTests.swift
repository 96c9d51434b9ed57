import Foundation
import Testing

/// `mktopo validate` on the files the repository says are invalid.
@Suite("validate: invalid files")
struct InvalidFixturesTests {
  /// One invalid fixture and the first error mktopo must report for it.
  ///
  /// Positions are libyaml's: 1-based line and column of the offending key or value.
  struct Expected: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    var column: Int
    /// Phrases the message must contain.
    var phrases: [String]

    var path: String { "Tests/Fixtures/schema/invalid/" + file }
    var testDescription: String { "\(file) \(line):\(column)" }
  }

  static let expectations: [Expected] = [
    // `    role: master`: the value starts after 4 spaces and `role: `.
    Expected(
      file: "bad-role.yaml",
      line: 10,
      column: 11,
      phrases: ["'nodes[0].role'", "must be one of 'mixed', 'worker'", "found 'master'"]
    ),
    // `    adress: 192.168.1.13`: the unknown key itself, in the second node.
    Expected(
      file: "unknown-node-key-typo.yaml",
      line: 11,
      column: 5,
      phrases: ["unknown key 'adress'", "did you mean 'address'?"]
    ),
    // `  version: 1.28`: a plain number where a string is needed.
    Expected(
      file: "cluster-version-unquoted.yaml",
      line: 6,
      column: 12,
      phrases: ["'cluster.version' must be a string", "found a number", "quote it"]
    ),
    // `apiVersion: mktopo/v2` on line 2 (line 1 is the `# expect:` comment).
    Expected(
      file: "wrong-api-version.yaml",
      line: 2,
      column: 13,
      phrases: ["unsupported apiVersion 'mktopo/v2'", "mktopo/v1"]
    ),
    // `      port: 70000` under a node's connection.
    Expected(
      file: "port-too-large.yaml",
      line: 11,
      column: 13,
      phrases: ["'nodes[0].connection.port'", "between 1 and 65535", "70000"]
    ),
    // `  leaveTimeout: 0m`.
    Expected(
      file: "duration-zero.yaml",
      line: 8,
      column: 17,
      phrases: ["'0m'", "policy.leaveTimeout", "longer than zero"]
    ),
    // `metadata:` at the top level, column 1.
    Expected(
      file: "unknown-top-level-key.yaml",
      line: 7,
      column: 1,
      phrases: ["unknown key 'metadata'", "'apiVersion'", "'nodes'"]
    ),
    // `    microk8s: ["sudo", ""]`: the empty item of a flow sequence.
    Expected(
      file: "microk8s-empty-argument.yaml",
      line: 10,
      column: 24,
      phrases: ["microk8s", "must not be empty"]
    ),
    // `  - name: worker1`: the node mapping that lacks `address` starts at its first key.
    Expected(
      file: "missing-address-present-node.yaml",
      line: 10,
      column: 5,
      phrases: ["'worker1'", "missing required key 'address'"]
    ),
    // `    user: "root;id"`: the quoted value starts at its opening quote.
    Expected(
      file: "user-shell-metacharacter.yaml",
      line: 9,
      column: 11,
      phrases: ["invalid user 'root;id'", "defaults.connection.user"]
    ),
  ]

  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  @Test(
    "each invalid file exits 1 and starts stderr with `FILE:L:C: error: `",
    arguments: Fixtures.invalid
  )
  func eachFileIsInvalid(path: String) async throws {
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
    let first = try #require(result.stderr.lines.first, "nothing on stderr for \(path)")
    let header = try #require(
      DiagnosticHeader(first, file: path),
      "first line does not match ^\(path):\\d+:\\d+: error: \n\(first)"
    )
    #expect(header.severity == "error", "\(first)")
    #expect(!header.message.isEmpty)
    // The position is inside the file.
    let lineCount = try Fixtures.text(path).lines.count
    #expect((1...lineCount).contains(header.line), "\(header)")
    #expect(header.column >= 1, "\(header)")
    // Nothing on standard output: no `FILE: valid` line for an invalid file.
    #expect(result.stdout.isEmpty, "stdout:\n\(result.stdout)")
  }

  @Test("the first error is at the offending key or value", arguments: expectations)
  func exactPosition(_ expected: Expected) async throws {
    let result = await mktopo.run(["validate", expected.path])
    #expect(result.status == 1)
    let first = try #require(result.stderr.lines.first)
    let header = try #require(DiagnosticHeader(first, file: expected.path), "\(first)")
    #expect(header.severity == "error")
    #expect(
      "\(header.line):\(header.column)" == "\(expected.line):\(expected.column)",
      "\(first)"
    )
    for phrase in expected.phrases {
      #expect(header.message.contains(phrase), "missing \(phrase.debugDescription) in: \(first)")
    }
  }

  @Test("every invalid fixture in one run: exit 1, each file reported, nothing on stdout")
  func allInvalidInOneRun() async {
    let result = await mktopo.run(["validate"] + Fixtures.invalid)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "stdout:\n\(result.stdout)")
    let headers = result.stderr.lines
    for path in Fixtures.invalid {
      let reported = headers.contains { DiagnosticHeader($0, file: path)?.severity == "error" }
      #expect(reported, "no error reported for \(path)")
    }
  }
}
