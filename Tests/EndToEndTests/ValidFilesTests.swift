import Foundation
import Testing

/// `mktopo validate` on the topology files the repository says are valid.
@Suite("validate: valid files")
struct ValidFilesTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  @Test("the fixture directories are found and hold the expected files")
  func fixturesAreFound() async {
    #expect(Fixtures.examples.count >= 6, "\(Fixtures.examples)")
    #expect(Fixtures.valid.count >= 9, "\(Fixtures.valid)")
    #expect(Fixtures.invalid.count >= 45, "\(Fixtures.invalid)")
    #expect(Fixtures.examples.contains("examples/three-node-ha.yaml"))
    #expect(Fixtures.valid.contains("Tests/Fixtures/schema/valid/minimal-bom.yaml"))
  }

  @Test(
    "each valid file exits 0 with one `FILE: valid` line",
    arguments: Fixtures.examples + Fixtures.valid
  )
  func eachFileIsValid(path: String) async throws {
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    let lines = result.stdout.lines
    #expect(lines.count == 1, "stdout:\n\(result.stdout)")
    let line = try #require(lines.first)
    #expect(line.hasPrefix("\(path): valid"), "\(line)")
    #expect(line.contains("cluster "), "\(line)")
    #expect(!result.stderr.contains("error:"), "\(result.stderr)")

    // Every file states its expected warnings in a comment; "none" means a silent stderr.
    let source = try Fixtures.text(path)
    if source.contains("Expected warnings: none") {
      #expect(result.stderr.isEmpty, "\(path) expects no warnings:\n\(result.stderr)")
      #expect(line.hasPrefix("\(path): valid: "), "\(line)")
    } else {
      let warnings = result.stderr.lines.compactMap { DiagnosticHeader($0, file: path) }
      #expect(!warnings.isEmpty, "\(path) expects warnings; stderr:\n\(result.stderr)")
      #expect(warnings.allSatisfy { $0.severity == "warning" }, "\(warnings)")
      let count = warnings.count
      let label = "\(path): valid (\(count) warning\(count == 1 ? "" : "s")): "
      #expect(line.hasPrefix(label), "\(line)")
    }
  }

  @Test("every example and valid fixture in one run: exit 0, one line each, in order")
  func allFilesInOneRun() async {
    let paths = Fixtures.examples + Fixtures.valid
    let result = await mktopo.run(["validate"] + paths)
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    let lines = result.stdout.lines
    #expect(lines.count == paths.count, "stdout:\n\(result.stdout)")
    for (line, path) in zip(lines, paths) {
      #expect(line.hasPrefix("\(path): valid"), "\(line)")
    }
    #expect(!result.stderr.contains("error:"), "\(result.stderr)")
  }

  @Test("the summary line of three-node-ha describes the cluster")
  func summaryLine() async {
    let result = await mktopo.run(["validate", "examples/three-node-ha.yaml"])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == "examples/three-node-ha.yaml: valid: cluster homelab (MicroK8s 1.28): 4 nodes: "
        + "3 control plane, 1 worker; HA (3 voters)\n"
    )
    #expect(result.stderr.isEmpty)
  }

  @Test("--summary prints a table of node1..node3 and worker1 with their addresses")
  func summaryTable() async throws {
    let result = await mktopo.run(["validate", "--summary", "examples/three-node-ha.yaml"])
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let lines = result.stdout.lines
    try #require(lines.count == 6, "stdout:\n\(result.stdout)")
    #expect(lines[0].hasPrefix("examples/three-node-ha.yaml: valid: cluster homelab"))
    let header = lines[1].split(separator: " ").map(String.init)
    #expect(header == ["NAME", "ADDRESS", "ROLE", "VERSION", "STATE", "CONNECTION"])
    let rows = lines[2...].map { $0.split(separator: " ").map(String.init) }
    let expected: [(String, String, String)] = [
      ("node1", "192.168.1.10", "mixed"),
      ("node2", "192.168.1.11", "mixed"),
      ("node3", "192.168.1.12", "mixed"),
      ("worker1", "192.168.1.20", "worker"),
    ]
    for (row, (name, address, role)) in zip(rows, expected) {
      #expect(
        row == [name, address, role, "1.28", "present", "ssh", "ubuntu@\(address)"],
        "\(row)"
      )
    }
    // Columns are aligned: every row starts its ADDRESS column where the header does.
    let addressColumn = try #require(lines[1].range(of: "ADDRESS")).lowerBound
    let offset = lines[1].distance(from: lines[1].startIndex, to: addressColumn)
    for line in lines[2...] {
      let cell = line.dropFirst(offset)
      #expect(cell.hasPrefix("192.168.1."), "misaligned row: \(line)")
    }
  }

  @Test("--summary on a file with an absent node shows it as absent")
  func summaryShowsAbsentNode() async {
    let result = await mktopo.run(["validate", "--summary", "examples/remove-node.yaml"])
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    let node3 = result.stdout.lines.first { $0.hasPrefix("node3 ") }
    #expect(node3?.split(separator: " ").contains("absent") == true, "\(result.stdout)")
    #expect(result.stdout.lines.first?.contains("1 to remove") == true, "\(result.stdout)")
  }
}
