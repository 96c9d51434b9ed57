import Foundation
import Testing

/// `mktopo plan --observed`: offline plans from a snapshot, as CI makes them for a pull
/// request.
@Suite("plan from a snapshot")
struct PlanCommandTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// The guide's cluster with node1 and node2 members, node3 and worker1 standalone.
  static let snapshot = """
    {
      "formatVersion": 1,
      "cluster": "homelab",
      "contact": "node1",
      "nodes": [
        {"name": "node1", "internalIP": "192.168.1.10", "role": "mixed", "ready": true, "kubeletVersion": "v1.28.3"},
        {"name": "node2", "internalIP": "192.168.1.11", "role": "mixed", "ready": true, "kubeletVersion": "v1.28.3"}
      ],
      "datastore": [
        {"address": "192.168.1.10:19001", "role": "voter"},
        {"address": "192.168.1.11:19001", "role": "spare"}
      ],
      "probes": [
        {"name": "node3", "finding": "standalone", "track": "1.28"},
        {"name": "worker1", "finding": "standalone", "track": "1.28"}
      ],
      "unreachable": []
    }
    """

  @Test("text plan: the joins in order, the summary, exit 0")
  func text() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write("observed.json", Self.snapshot)
    let result = await mktopo.run([
      "plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("+ join node3 (192.168.1.12) as mixed"))
    #expect(result.stdout.contains("on node3: microk8s join 192.168.1.10:25000/<token>"))
    #expect(result.stdout.contains("+ join worker1 (192.168.1.20) as worker"))
    #expect(result.stdout.hasSuffix("Plan: 2 to join, 0 to remove, 0 to change, 0 blocked.\n"))
    let node3 = try #require(result.stdout.range(of: "join node3"))
    let worker = try #require(result.stdout.range(of: "join worker1"))
    #expect(node3.lowerBound < worker.lowerBound, "mixed nodes join before workers")
  }

  @Test("--detailed-exitcode: 2 with changes; --out writes the JSON plan atomically")
  func detailedAndOut() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write("observed.json", Self.snapshot)
    let out = directory.url.appendingPathComponent("plan.json").path
    let result = await mktopo.run([
      "plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot, "--detailed-exitcode",
      "--out", out,
    ])
    #expect(result.status == 2, "\(result.stderr)")
    let saved = try String(contentsOfFile: out, encoding: .utf8)
    let json = await mktopo.run(
      ["plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot, "--output", "json"])
    #expect(json.status == 0)
    #expect(saved == json.stdout)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(saved.utf8)) as? [String: Any]
    )
    #expect(object["formatVersion"] as? Int == 1)
    #expect((object["observedFingerprint"] as? String)?.count == 64)
    #expect((object["changes"] as? [Any])?.count == 2)
  }

  @Test("no changes: the message, exit 0 even with --detailed-exitcode")
  func noChanges() async throws {
    let directory = try TemporaryDirectory()
    let topology = try directory.write(
      "t.yaml",
      "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: homelab, version: \"1.28\"}\n"
        + "nodes:\n  - {name: node1, address: 192.168.1.10}\n  - {name: node2, address: 192.168.1.11}\n"
    )
    let snapshot = try directory.write(
      "observed.json",
      Self.snapshot.replacingOccurrences(
        of: "{\"name\": \"worker1\", \"finding\": \"standalone\", \"track\": \"1.28\"}",
        with: ""
      )
      .replacingOccurrences(of: "\"track\": \"1.28\"},\n", with: "\"track\": \"1.28\"}\n")
    )
    let result = await mktopo.run([
      "plan", "-f", topology, "--observed", snapshot, "--detailed-exitcode",
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("No changes. Cluster membership matches the topology."))
  }

  @Test("a blocked change exits 1 and says why")
  func blocked() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write(
      "observed.json",
      Self.snapshot.replacingOccurrences(
        of: "{\"name\": \"node3\", \"finding\": \"standalone\", \"track\": \"1.28\"}",
        with: "{\"name\": \"node3\", \"finding\": \"standalone\", \"track\": \"1.27\"}"
      )
    )
    let result = await mktopo.run([
      "plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot,
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("! join node3: blocked"))
    #expect(result.stdout.contains("sudo snap refresh microk8s --channel=1.28/stable"))
  }

  @Test("live: observes a simulated cluster through the example, then plans the joins")
  func live() async throws {
    let directory = try TemporaryDirectory()
    let bin = mktopo.executable.deletingLastPathComponent().path
    let environment = [
      "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "MICROK8S_SIM_STATE": directory.url.appendingPathComponent("world").path,
    ]
    let hosts = [
      "192.168.1.10=node1", "192.168.1.11=node2", "192.168.1.12=node3",
      "192.168.1.20=worker1",
    ]
    let simulator = CommandRunner(executable: URL(fileURLWithPath: bin + "/microk8s-sim"))
    let created = await simulator.run(
      ["init"] + hosts.flatMap { ["--host", $0] },
      environment: environment
    )
    #expect(created.status == 0, "\(created.stderr)")
    let state = ["--state-dir", directory.url.appendingPathComponent("state").path]
    let plan = await mktopo.run(
      ["plan", "-f", "examples/simulated-lab.yaml", "--detailed-exitcode"] + state,
      environment: environment
    )
    #expect(plan.status == 2, "\(plan.stderr)")
    #expect(plan.stdout.hasSuffix("Plan: 3 to join, 0 to remove, 0 to change, 0 blocked.\n"))
    #expect(plan.stderr.isEmpty, "\(plan.stderr)")
    // A snapshot of the same pass plans the same, byte for byte.
    let snapshot = directory.url.appendingPathComponent("observed.json").path
    let observe = await mktopo.run(
      ["observe", "-f", "examples/simulated-lab.yaml", "--out", snapshot] + state,
      environment: environment
    )
    #expect(observe.status == 0, "\(observe.stderr)")
    let offline = await mktopo.run([
      "plan", "-f", "examples/simulated-lab.yaml", "--observed", snapshot,
    ])
    #expect(offline.stdout == plan.stdout)
  }

  @Test("a file naming none of the cluster's nodes is refused; --allow-foreign-topology plans")
  func foreignTopology() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write("observed.json", Self.snapshot)
    let topology = try directory.write(
      "other.yaml",
      "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: homelab, version: \"1.28\"}\n"
        + "nodes:\n  - {name: alpha, address: 192.168.1.50}\n"
    )
    let refused = await mktopo.run(["plan", "-f", topology, "--observed", snapshot])
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("! remove *: blocked"), "\(refused.stdout)")
    #expect(refused.stdout.contains("names none of the cluster's nodes (node1, node2)"))
    #expect(refused.stdout.contains("Pass --allow-foreign-topology"))

    // With the override, the planner goes ahead: alpha was never probed, so its join is
    // blocked as unobserved, and without prune the members stay.
    let allowed = await mktopo.run([
      "plan", "-f", topology, "--observed", snapshot, "--allow-foreign-topology", "--output",
      "json",
    ])
    #expect(!allowed.stdout.contains("\"node\": \"*\""), "\(allowed.stdout)")
    #expect(allowed.stdout.contains("\"node\": \"alpha\""), "\(allowed.stdout)")
    #expect(allowed.stdout.contains("alpha was not observed"), "\(allowed.stdout)")
  }

  @Test("an invalid snapshot or topology is reported with positions, exit 1, no plan")
  func invalidInput() async throws {
    let directory = try TemporaryDirectory()
    let snapshot = try directory.write("observed.json", "{\"formatVersion\": 1,\n  \"nodes\": [}\n")
    let result = await mktopo.run([
      "plan", "-f", "examples/three-node-ha.yaml", "--observed", snapshot,
    ])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("\(snapshot):2:"), "\(result.stderr)")
  }

  @Test("usage errors exit 64: no topology, both inputs on standard input")
  func usage() async {
    #expect(await mktopo.run(["plan", "-f", "-", "--observed", "-"]).status == 64)
    #expect(await mktopo.run(["plan", "--observed", "x.json"]).status == 64)
  }
}
