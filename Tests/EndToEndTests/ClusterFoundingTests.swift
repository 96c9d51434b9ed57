import Foundation
import Testing

/// Which node founds the cluster, and which datastore entry is a ghost: a standalone
/// MicroK8s listed before the cluster's members never founds a second cluster beside
/// it, and a listed node whose Node was deleted is never cut out of the datastore, least
/// of all by itself (DESIGN.md section 3).
@Suite("apply: founders and ghosts")
struct ClusterFoundingTests {
  typealias Node = ApplyLab.Node

  @Test(
    "a standalone listed before the cluster joins it, and founds nothing while a node is unread"
  )
  func standaloneBeforeTheCluster() async throws {
    let names = ["node1", "node2", "node3", "node4"]
    let lab = try await ApplyLab(names)
    // node1 and node2 form the cluster by hand; node4 is listed first and standalone.
    await lab.joinByHand([("node2", false)], to: "node1")
    let file = try lab.topology([.mixed("node4"), .mixed("node1"), .mixed("node2")])

    // node1 down, node2 without quorum: nothing says node4 may found cluster lab.
    await lab.host("node1", "down")
    let unread = await lab.apply(file)
    #expect(unread.status == 1, "\(unread.stdout)\n\(unread.stderr)")
    #expect(
      unread.stderr.contains("node4 runs a standalone MicroK8s that could found cluster lab"),
      "\(unread.stderr)"
    )
    #expect(unread.stderr.contains("node1 (could not be reached)"), "\(unread.stderr)")
    #expect(unread.stderr.contains("Nothing was changed."), "\(unread.stderr)")
    var world = try await lab.world()
    #expect(world.cluster(of: "node4")?.nodes.map(\.name) == ["node4"])
    #expect(Set(world.nodes(of: "node2").keys) == ["node1", "node2"])
    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(status.status == 1, "\(status.stdout)")

    // Everyone answers: the cluster is node1's, and node4 joins it.
    await lab.host("node1", "up")
    let joined = await lab.apply(file)
    #expect(joined.status == 0, "\(joined.stdout)\n\(joined.stderr)")
    #expect(joined.stdout.contains("+ join node4"), "\(joined.stdout)")
    world = try await lab.world()
    #expect(Set(world.nodes(of: "node1").keys) == ["node1", "node2", "node4"])
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a listed node whose Node was deleted is not a ghost to clean up, and registers again")
  func deletedNodeIsNotAGhost() async throws {
    let names = ["node1", "node2", "node3"]
    let lab = try await ApplyLab(names)
    await lab.joinByHand([("node1", false), ("node3", false)], to: "node2")
    // node1's Node is deleted while its MicroK8s runs on; node1 is listed first, so it
    // is the node mktopo reads the cluster through.
    await lab.microk8s("node2", ["kubectl", "delete", "node", "node1"])
    let file = try lab.topology(
      names.map { .mixed($0) },
      policy: ["cleanupGhosts": "true"]
    )
    let plan = await lab.plan(file)
    #expect(plan.status == 1, "\(plan.stdout)\n\(plan.stderr)")
    #expect(plan.stdout.contains("! cleanup-ghost \(ApplyLab.address("node1")): blocked"))
    #expect(plan.stdout.contains("is node1's own"), "\(plan.stdout)")
    #expect(plan.stdout.contains("no Node of that name is registered"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("remove-node"), "\(plan.stdout)")
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    var world = try await lab.world()
    #expect(world.datastore(of: "node2").count == 3, "node1 stays in the datastore")

    // The fix the plan gives: restarting MicroK8s on node1 registers its Node again.
    await lab.microk8s("node1", ["stop"])
    await lab.microk8s("node1", ["start"])
    world = try await lab.world()
    #expect(Set(world.nodes(of: "node2").keys) == ["node1", "node2", "node3"])
    await lab.expectConverged(file)
  }

  @Test("a reinstalled node's ghost is removed through another member, then it joins again")
  func ghostRemovedThroughAnotherMember() async throws {
    let names = ["node1", "node2", "node3", "node4"]
    let lab = try await ApplyLab(names)
    await lab.joinByHand([("node1", false), ("node3", false), ("node4", false)], to: "node2")
    // node1 was reinstalled: its old datastore entry is a ghost, and node1, listed
    // first, a standalone MicroK8s at the ghost's address.
    await lab.microk8s("node2", ["kubectl", "delete", "node", "node1"])
    await lab.host("node1", "reinstall")
    let file = try lab.topology(
      names.map { .mixed($0) },
      policy: ["cleanupGhosts": "true"]
    )
    let address = ApplyLab.address("node1")
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains("on node2: microk8s remove-node \(address) --force"),
      "\(applied.stdout)"
    )
    #expect(!applied.stdout.contains("on node1: microk8s remove-node"), "\(applied.stdout)")
    #expect(applied.stdout.contains("+ join node1"), "\(applied.stdout)")
    let world = try await lab.world()
    #expect(world.problems(of: "node2").isEmpty, "\(world.problems(of: "node2"))")
    #expect(Set(world.nodes(of: "node2").keys) == Set(names))
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a node marked absent that is in another cluster shows the file spans two clusters")
  func absentNodeInAnotherCluster() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3", "worker1"])
    await lab.joinByHand([("worker1", true)], to: "node1")
    await lab.joinByHand([("node3", false)], to: "node2")
    // The file keeps node2's cluster and removes worker1, which is node1's.
    let file = try lab.topology([
      .mixed("node2"), .mixed("node3"), .absent("worker1", role: "worker"),
    ])
    let before = try await lab.world()
    let refused = await lab.apply(file)
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    #expect(refused.stderr.contains("more than one cluster"), "\(refused.stderr)")
    #expect(
      refused.stderr.contains("worker1 (marked absent) is a worker of another cluster"),
      "\(refused.stderr)"
    )
    #expect(refused.stderr.contains("needs no entry"), "\(refused.stderr)")
    let after = try await lab.world()
    #expect(after.nodes(of: "node1") == before.nodes(of: "node1"))
    #expect(after.nodes(of: "node2") == before.nodes(of: "node2"))
    // Without the absent entry the file describes node2's cluster alone.
    let alone = try lab.topology([.mixed("node2"), .mixed("node3")], file: "alone.yaml")
    let applied = await lab.apply(alone)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    await lab.expectConverged(alone)
  }
}
