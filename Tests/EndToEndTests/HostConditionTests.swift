import Foundation
import Testing

/// Hosts whose MicroK8s cannot be read the usual way: the low-memory guard (no
/// control-plane services, `status` refuses) and MicroK8s releases without some commands.
@Suite("host conditions", .serialized)
struct HostConditionTests {
  @Test("a low-memory host is reported as such: joined as a worker, refused as mixed")
  func lowMemoryGuard() async throws {
    let lab = try await ApplyLab(["node1", "worker1", "node2"])
    await lab.host("worker1", "low-memory")
    await lab.host("node2", "low-memory")
    let file = try lab.topology([.mixed("node1"), .worker("worker1"), .mixed("node2")])
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    let worker = "+ join worker1 (\(ApplyLab.address("worker1"))) as worker"
    #expect(applied.stdout.contains(worker), "\(applied.stdout)")
    #expect(applied.stdout.contains("under its low-memory guard"), "\(applied.stdout)")
    #expect(applied.stdout.contains("! join node2: blocked"), "\(applied.stdout)")
    #expect(applied.stdout.contains("keeps its low-memory guard"), "\(applied.stdout)")
    #expect(applied.stdout.contains("make it 'role: worker'"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("not installed"), "\(applied.stdout)")
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == "worker")
    #expect(world.cluster(of: "node2")?.id != world.cluster(of: "node1")?.id)

    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(
      status.stdout.contains("node2: MicroK8s keeps its low-memory guard"),
      "\(status.stdout)"
    )
    let json = await lab.run(
      ["status", "-f", file, "--state-dir", lab.stateDirectory, "--output", "json"])
    #expect(json.stdout.contains("\"probe\": \"low-memory-guard\""), "\(json.stdout)")
    lab.expectNoSecrets()
  }

  @Test("MicroK8s 1.24, which has no 'version' command, is read, founded and joined")
  func releaseWithoutVersionCommand() async throws {
    let names = ["node1", "node2", "node3", "worker1"]
    let lab = try await ApplyLab(
      names,
      hosts: Dictionary(uniqueKeysWithValues: names.map { ($0, "\($0):1.24") })
    )
    let version = await lab.simulator.run(
      ["--host", ApplyLab.address("node1"), "version"],
      environment: lab.environment
    )
    #expect(version.stdout.contains("'version' is not a valid MicroK8s subcommand."))
    let file = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("worker1")],
      version: "1.24"
    )
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    let world = try await lab.world()
    #expect(world.datastore().values.sorted() == ["voter", "voter", "voter"])
    #expect(world.nodes()["worker1"] == "worker")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test(
    "a join failing for a moment is tried again with a fresh token, within the join timeout",
    arguments: [("join-fingerprint-mismatch", "2"), ("join-agent-no-cluster-file", "1")]
  )
  func transientJoinFailure(fault: String, times: String) async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    await lab.sim(["fault", ApplyLab.address("node2"), "join", fault, "--times", times])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains("waiting for another join attempt with a fresh token in 2s"),
      "\(applied.stdout)"
    )
    let world = try await lab.world()
    #expect(world.datastore().keys.sorted() == ["node1", "node2"])
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a 1.27 node that is not ready (status exits 0 up to 1.27) is not taken for missing")
  func notReadyBefore128() async throws {
    let lab = try await ApplyLab(
      ["node1", "node2"],
      hosts: ["node1": "node1:1.27", "node2": "node2:1.27"]
    )
    await lab.sim(["settings", "ready-delay=10m"])
    await lab.host("node2", "stop")
    await lab.host("node2", "start")
    let file = try lab.topology([.mixed("node1"), .mixed("node2")], version: "1.27")
    // Nothing is founded while a listed control-plane node cannot be read: it says why.
    let planned = await lab.plan(file)
    let output = planned.stdout + planned.stderr
    #expect(output.contains("node2 (MicroK8s is not ready)"), "\(output)")
    #expect(!output.contains("not installed"), "\(output)")
  }

  @Test("up to 1.27 a joiner whose hostname does not resolve is refused, with the fix")
  func unresolvableHostnameBefore128() async throws {
    let lab = try await ApplyLab(
      ["node1", "node2"],
      hosts: ["node1": "node1:1.27", "node2": "node2:1.27"]
    )
    await lab.host("node2", "unresolvable")
    let file = try lab.topology([.mixed("node1"), .mixed("node2")], version: "1.27")
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    let address = ApplyLab.address("node2")
    #expect(
      applied.stderr.contains("'\(address) node2' in /etc/hosts"),
      "\(applied.stderr)"
    )
    #expect(try await lab.world().cluster(of: "node2")?.id != lab.world().cluster(of: "node1")?.id)
  }
}
