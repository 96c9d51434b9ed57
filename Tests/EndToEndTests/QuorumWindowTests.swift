import Foundation
import Testing

/// Removals of datastore voters at the moments real MicroK8s makes dangerous.
///
/// The two-voter window after a shrink from three (the dqlite leader demotes the extra voter
/// only at its next role adjustment, every 30 s), and a voter that crashed but whose
/// Node still reads Ready (node-monitor grace). The world is sampled while apply runs.
@Suite("quorum windows", .serialized)
struct QuorumWindowTests {
  /// Three mixed nodes, formed with MicroK8s's own role-adjustment delay off.
  static func threeVoters() async throws -> ApplyLab {
    let lab = try await ApplyLab(["node1", "node2", "node3"])
    let file = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .mixed("node3")],
      file: "three.yaml"
    )
    let formed = await lab.apply(file)
    try #require(formed.status == 0, "\(formed.stdout)\n\(formed.stderr)")
    try #require(try await lab.world().datastore().values.sorted() == ["voter", "voter", "voter"])
    return lab
  }

  @Test("a shrink from three voters to one waits out the two-voter window")
  func shrinkWaitsForRoleAdjustment() async throws {
    let lab = try await Self.threeVoters()
    await lab.sim(["settings", "rebalance-delay=3s"])
    let file = try lab.topology(
      [.mixed("node1"), .absent("node2"), .absent("node3")],
      policy: ["maxRemovals": "2"]
    )
    let (applied, watch) = await VoterWatch.watching(lab) { await lab.apply(file) }
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains("the datastore leader's role adjustment"),
      "\(applied.stdout)"
    )
    #expect(await watch.count > 5)
    #expect(await watch.violations(watching: "node1") == [])
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter"])
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a voter is not removed while another voter is down, though its Node reads Ready")
  func crashedVoterStillReady() async throws {
    let lab = try await Self.threeVoters()
    await lab.sim(["settings", "node-monitor-grace=10m"])
    await lab.host("node2", "down")
    #expect(try await lab.world().readiness()["node2"] == "True", "the grace period holds")
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .absent("node3")])
    let (applied, watch) = await VoterWatch.watching(lab) { await lab.apply(file) }
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stderr.contains("was not started"), "\(applied.stderr)")
    #expect(
      applied.stderr.contains("Voters that did not answer: node2 (\(ApplyLab.address("node2")))"),
      "\(applied.stderr)"
    )
    // Refused before the cordon: node3 is neither cordoned nor drained for nothing.
    #expect(!applied.stdout.contains("3/4 on node3: microk8s leave"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("1/4 on node1: microk8s kubectl cordon"), "\(applied.stdout)")
    #expect(try await lab.world().cordoned().isEmpty)
    #expect(await watch.violations(watching: "node1") == [])
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node3": "voter"])
    #expect(world.cluster(of: "node1")?.quorum == true)

    // Back up, the same file converges.
    await lab.host("node2", "up")
    let again = await lab.apply(file)
    #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
    #expect(try await lab.world().datastore() == ["node1": "voter", "node2": "spare"])
    lab.expectNoSecrets()
  }

  @Test("a voter the file does not list is confirmed alive by its kubelet's heartbeat")
  func unlistedVoterHeartbeat() async throws {
    let lab = try await Self.threeVoters()
    // node1 stays a member the file does not list (prune is off).
    let file = try lab.topology([.mixed("node2"), .absent("node3")], file: "unlisted.yaml")
    let (applied, watch) = await VoterWatch.watching(lab) { await lab.apply(file) }
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("3/4 on node3: microk8s leave"), "\(applied.stdout)")
    #expect(await watch.violations(watching: "node2") == [])
    let world = try await lab.world()
    #expect(world.datastore(of: "node2").keys.sorted() == ["node1", "node2"])
    #expect(world.cluster(of: "node3")?.id != world.cluster(of: "node2")?.id)
    lab.expectNoSecrets()
  }

  @Test("the voter kept in a shrink is the raft leader's: the plan names both, apply stops safely")
  func survivorIsTheLeader() async throws {
    let lab = try await Self.threeVoters()
    await lab.sim(["settings", "rebalance-delay=2s"])
    await lab.host("node3", "lead")
    let file = try lab.topology(
      [.mixed("node1"), .absent("node2"), .absent("node3")],
      policy: ["maxRemovals": "2"]
    )
    let planned = await lab.plan(file)
    let one = ApplyLab.address("node1")
    let three = ApplyLab.address("node3")
    #expect(
      planned.stdout.contains(
        "datastore voters after: one of \(one), \(three) (the raft leader keeps the vote)"
      ),
      "\(planned.stdout)"
    )
    #expect(planned.stdout.contains("if it holds the vote"), "\(planned.stdout)")
    let (applied, watch) = await VoterWatch.watching(lab) { await lab.apply(file) }
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    // Refused before the cordon, the first of its four steps.
    #expect(applied.stderr.contains("remove node3, step 1 of 4"), "\(applied.stderr)")
    #expect(applied.stderr.contains("was not started"), "\(applied.stderr)")
    #expect(applied.stderr.contains("only datastore voter"), "\(applied.stderr)")
    #expect(await watch.violations(watching: "node1") == [])
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "spare", "node3": "voter"])
    #expect(world.problems().isEmpty, "\(world.problems())")
    lab.expectNoSecrets()
  }

  @Test("a voter the file does not list and whose heartbeat stopped blocks another's removal")
  func unlistedVoterSilent() async throws {
    let lab = try await Self.threeVoters()
    await lab.sim(["settings", "node-monitor-grace=10m"])
    await lab.host("node1", "down")
    // Its last renewal was at the latest when it went down: stale past 20 s by now.
    try await Task.sleep(for: .seconds(22))
    let file = try lab.topology([.mixed("node2"), .absent("node3")], file: "unlisted.yaml")
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stderr.contains("no heartbeat for 20 s"), "\(applied.stderr)")
    #expect(applied.stderr.contains("was not started"), "\(applied.stderr)")
    let world = try await lab.world()
    #expect(world.datastore(of: "node2").count == 3)
    lab.expectNoSecrets()
  }
}
