import Foundation
import Testing

/// Numbers longer than any integer type, in a topology file, a snapshot and a status
/// file, through the built `mktopo`: exit 1 with positioned errors that give the allowed
/// range, never a trap (exit 132, "Fatal error").
@Suite("long numbers through the CLI")
struct LongNumberTests {
  static let twenty = "99999999999999999999"

  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// Long numbers on lines 5, 7, 11, 12 and 14; `expected` has the error for each.
  static let topology = """
    apiVersion: mktopo/v1
    kind: Topology
    cluster:
      name: homelab
      version: "\(twenty).28"
    policy:
      joinTimeout: \(twenty)h
    nodes:
      - name: node1
        address: 192.168.1.10
        version: "1.\(twenty)"
        connection: {port: \(twenty)}
      - name: node2
        address: 192.168.1.\(twenty)

    """

  static let expected: [(line: Int, column: Int, phrase: String)] = [
    (
      5, 12,
      "the number '\(twenty)' is out of range; the major and minor versions are whole numbers from 0 to 999"
    ),
    (7, 16, "a duration may be at most 7 days (168h)"),
    (11, 14, "in 'nodes[0].version': the number '\(twenty)' is out of range"),
    (12, 24, "'nodes[0].connection.port' must be between 1 and 65535, found \(twenty)"),
    (14, 14, "each part of an IPv4 address is at most 255"),
  ]

  /// Every expected error, at its line and column, in `stderr`; no trap.
  func expectErrors(
    _ result: CommandRunner.Output,
    file: String,
    _ expected: [(line: Int, column: Int, phrase: String)],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(result.status == 1, "stderr:\n\(result.stderr)", sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    let headers = result.stderr.lines.compactMap { DiagnosticHeader($0, file: file) }
    for (line, column, phrase) in expected {
      #expect(
        headers.contains {
          $0.severity == "error" && $0.line == line && $0.column == column
            && $0.message.contains(phrase)
        },
        "no error at \(line):\(column) containing \"\(phrase)\" in:\n\(result.stderr)",
        sourceLocation: sourceLocation
      )
    }
    // Compiler style: each header is followed by its source line and a caret line.
    let carets = result.stderr.lines.filter { $0.contains(" | ") && $0.hasSuffix("^") }
    #expect(carets.count >= headers.count, "\(result.stderr)", sourceLocation: sourceLocation)
  }

  @Test("validate: exit 1, every long number at its position")
  func validate() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("long.yaml", Self.topology)
    let result = await mktopo.run(["validate", path])
    expectErrors(result, file: path, Self.expected)
    let lines = result.stderr.lines
    let header = try #require(lines.firstIndex { $0.hasPrefix("\(path):5:12: error:") })
    #expect(lines[header + 1] == #" 5 |   version: "\#(Self.twenty).28""#)
    #expect(lines[header + 2] == "   |            ^")
  }

  @Test("plan, apply and reconcile --once refuse the file the same way")
  func planApplyReconcile() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("long.yaml", Self.topology)
    let state = directory.url.appendingPathComponent("state").path
    expectErrors(
      await mktopo.run(["plan", "-f", path, "--state-dir", state]),
      file: path,
      Self.expected
    )
    expectErrors(
      await mktopo.run(["apply", "-f", path, "--auto-approve", "--state-dir", state]),
      file: path,
      Self.expected
    )
    let reconcile = await mktopo.run(["reconcile", "-f", path, "--once", "--state-dir", state])
    #expect(reconcile.status == 1, "\(reconcile.stderr)")
    #expect(reconcile.stderr.contains("\(path):5:12: error: invalid MicroK8s version"))
  }

  @Test("reconcile --once carries on from a status file whose counter is Int.max")
  func statusCounter() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("long.yaml", Self.topology)
    let state = directory.url.appendingPathComponent("state")
    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    let status = #"{"formatVersion": 1, "source": "file \#(path)", "passes": \#(Int.max)}"#
    try status.write(
      to: state.appendingPathComponent("reconcile.status.json"),
      atomically: true,
      encoding: .utf8
    )
    let result = await mktopo.run(["reconcile", "-f", path, "--once", "--state-dir", state.path])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(!result.stderr.contains("Fatal error"))
    let written = try String(
      contentsOf: state.appendingPathComponent("reconcile.status.json"),
      encoding: .utf8
    )
    #expect(written.contains(#""passes": 1"#), "\(written)")
  }

  /// A snapshot of the guide's cluster with long numbers on lines 6, 10, 14 and 15.
  static let snapshot = """
    {
      "formatVersion": 1,
      "cluster": "homelab",
      "contact": "node1",
      "nodes": [
        {"name": "node1", "internalIP": "192.168.1.10", "role": "mixed", "ready": true, "kubeletVersion": "v\(twenty).28.3"},
        {"name": "node2", "internalIP": "192.168.1.11", "role": "mixed", "ready": true, "kubeletVersion": "v1.28.3"}
      ],
      "datastore": [
        {"address": "192.168.1.10:\(twenty)", "role": "voter"},
        {"address": "192.168.1.11:19001", "role": "spare"}
      ],
      "probes": [
        {"name": "node3", "finding": "standalone", "track": "\(twenty).28"},
        {"name": "worker1", "finding": "standalone", "track": "1.\(twenty)/stable"}
      ],
      "unreachable": []
    }

    """

  @Test("plan --observed: exit 1, every long number in the snapshot at its position")
  func observedSnapshot() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write("observed.json", Self.snapshot)
    let result = await mktopo.run([
      "plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot,
    ])
    let range = "is out of range; the major and minor versions are whole numbers from 0 to 999"
    expectErrors(
      result,
      file: snapshot,
      [
        (6, 103, "invalid Kubernetes version 'v\(Self.twenty).28.3' in 'nodes[0].kubeletVersion'"),
        (6, 103, range),
        (
          10, 17,
          "invalid port '\(Self.twenty)' in 'datastore[0].address'; expected a number from 1 to 65535"
        ),
        (14, 57, "invalid MicroK8s track '\(Self.twenty).28' in 'probes[0].track': the number"),
        (15, 59, range),
      ]
    )
    #expect(result.stdout.isEmpty, "\(result.stdout)")
  }
}
