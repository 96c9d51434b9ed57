import Foundation
import Testing

/// `mktopo apply` draining nodes before they leave, against the simulator's pods and
/// disruption budgets: the pods move first, a budget that refuses stops the change with
/// nothing half done, and `policy.drain: false` removes without draining.
@Suite("apply: draining")
struct ApplyDrainTests {
  typealias Node = ApplyLab.Node

  /// The guide's cluster (three mixed nodes and worker1), applied.
  static func cluster() async throws -> ApplyLab {
    try await ApplyScenarioTests.guideCluster(["node1", "node2", "node3", "worker1"])
  }

  static let withoutWorker1: [Node] = [
    .mixed("node1"), .mixed("node2"), .mixed("node3"), .absent("worker1", role: "worker"),
  ]

  @Test("a removal drains first: pods move elsewhere, one at a time as their budget allows")
  func removalDrains() async throws {
    let lab = try await Self.cluster()
    for name in ["web-0", "web-1"] {
      await lab.sim(["pod", "add", "shop/\(name)", "--on", "worker1", "--app", "web"])
    }
    await lab.sim(["pod", "add", "kube-system/calico-node-w", "--on", "worker1", "--daemonset"])
    await lab.sim(["pod", "add", "shop/cache-0", "--on", "worker1", "--app", "cache", "--emptydir"])
    await lab.sim([
      "pdb", "add", "shop/web", "--on", "node1", "--app", "web", "--min-available", "1",
    ])
    let file = try lab.topology(Self.withoutWorker1, policy: ["drainTimeout": "60s"])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    for line in [
      "1/4 on node1: microk8s kubectl cordon worker1",
      "2/4 on node1: microk8s kubectl drain worker1 --ignore-daemonsets --delete-emptydir-data "
        + "--timeout=60s",
      "3/4 on worker1: microk8s leave", "4/4 on node1: microk8s remove-node worker1",
    ] {
      #expect(applied.stdout.contains(line), "\(line) in \(applied.stdout)")
    }
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == nil)
    let pods = world.pods()
    // The web and cache pods were replaced on the control-plane nodes before worker1
    // left; the DaemonSet's pod went with its node.
    #expect(pods["worker1"] == nil, "\(pods)")
    let moved = pods.filter { $0.key.hasPrefix("node") }.values.flatMap { $0 }
    #expect(moved.filter { $0.hasPrefix("shop/web-") }.count == 2, "\(pods)")
    #expect(moved.filter { $0.hasPrefix("shop/cache-") }.count == 1, "\(pods)")
    #expect(world.cordoned().isEmpty)
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a budget that refuses stops the change, uncordoned; relaxed, the next apply completes")
  func budgetRefuses() async throws {
    let lab = try await Self.cluster()
    await lab.sim(["pod", "add", "shop/db-0", "--on", "worker1", "--app", "db"])
    await lab.sim([
      "pdb", "add", "shop/db", "--on", "node1", "--app", "db", "--min-available", "1",
    ])
    let file = try lab.topology(Self.withoutWorker1, policy: ["drainTimeout": "2s"])
    let refused = await lab.apply(file)
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    for words in [
      "kubectl drain could not empty node worker1",
      "the disruption budget shop/db (", "kept refusing the eviction of shop/db-0",
      "worker1 was uncordoned again: the change stopped before it left",
      "Relax the PodDisruptionBudget",
    ] {
      #expect(refused.stderr.contains(words), "\(words) in \(refused.stderr)")
    }
    // Nothing half done: still a Ready member, taking pods, with its pod where it was.
    #expect(!refused.stdout.contains("3/4 on worker1: microk8s leave"), "\(refused.stdout)")
    var world = try await lab.world()
    #expect(world.readiness()["worker1"] == "True")
    #expect(world.cordoned().isEmpty)
    #expect(world.pods()["worker1"] == ["shop/db-0"])

    await lab.sim(["pdb", "delete", "shop/db", "--on", "node1"])
    let relaxed = await lab.apply(file)
    #expect(relaxed.status == 0, "\(relaxed.stdout)\n\(relaxed.stderr)")
    world = try await lab.world()
    #expect(world.nodes()["worker1"] == nil)
    #expect(world.pods()["worker1"] == nil, "\(world.pods())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a pod without a controller refuses the drain; policy.drain: false removes anyway")
  func drainOff() async throws {
    let lab = try await Self.cluster()
    await lab.sim(["pod", "add", "default/debug", "--on", "worker1", "--naked"])
    let draining = try lab.topology(Self.withoutWorker1, file: "draining.yaml")
    let refused = await lab.apply(draining)
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    #expect(refused.stderr.contains("default/debug"), "\(refused.stderr)")
    #expect(refused.stderr.contains("worker1 was uncordoned again"), "\(refused.stderr)")
    #expect(try await lab.world().cordoned().isEmpty)

    let file = try lab.topology(Self.withoutWorker1, policy: ["drain": "false"])
    let planned = await lab.plan(file)
    #expect(!planned.stdout.contains("kubectl"), "\(planned.stdout)")
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("1/2 on worker1: microk8s leave"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("kubectl"), "\(applied.stdout)")
    #expect(try await lab.world().nodes()["worker1"] == nil)
    await lab.expectConverged(file)
  }

  @Test("a role change drains, rejoins and uncordons the node")
  func roleChangeUncordons() async throws {
    let lab = try await Self.cluster()
    await lab.sim(["pod", "add", "shop/web-0", "--on", "worker1", "--app", "web"])
    let file = try lab.topology([
      .mixed("node1"), .mixed("node2"), .mixed("node3"), .mixed("worker1"),
    ])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains("7/7 on node1: microk8s kubectl uncordon worker1"),
      "\(applied.stdout)"
    )
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == "control-plane")
    #expect(world.cordoned().isEmpty)
    #expect(world.pods()["worker1"] == nil, "\(world.pods())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }
}
