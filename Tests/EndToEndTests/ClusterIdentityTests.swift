import Foundation
import Testing

/// One cluster, told truthfully: which cluster is the file's never changes because a
/// node stopped answering or left, a node of another track or name never founds or
/// joins it, and a misspelt name never removes a member (DESIGN.md section 3).
@Suite("apply: one cluster, told truthfully")
struct ClusterIdentityTests {
  typealias Node = ApplyLab.Node

  /// A lab of `names` where `nodes` have been applied (and the identity recorded).
  static func applied(
    _ names: [String],
    _ nodes: [Node],
    hosts: [String: String] = [:]
  ) async throws -> ApplyLab {
    let lab = try await ApplyLab(names, hosts: hosts)
    let file = try lab.topology(nodes, file: "first.yaml")
    let result = await lab.apply(file)
    try #require(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    return lab
  }

  @Test("an absent node listed first is removed, and is not then taken for the cluster")
  func absentFirstNode() async throws {
    let four: [Node] = ["node1", "node2", "node3", "node4"].map { .mixed($0) }
    let lab = try await Self.applied(["node1", "node2", "node3", "node4"], four)
    let file = try lab.topology([.absent("node1")] + four.dropFirst())
    let removed = await lab.apply(file)
    #expect(removed.status == 0, "\(removed.stdout)\n\(removed.stderr)")
    #expect(removed.stdout.contains("- remove node1"), "\(removed.stdout)")
    let world = try await lab.world()
    #expect(Set(world.nodes(of: "node2").keys) == ["node2", "node3", "node4"])
    #expect(world.cluster(of: "node1")?.id != world.cluster(of: "node2")?.id)
    // node1 is a standalone MicroK8s now: read through node2, nothing is to change.
    await lab.expectConverged(file)
    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("read through node2"), "\(status.stdout)")
    lab.expectNoSecrets()
  }

  @Test("an outage never switches clusters: node1 down, another cluster is not the file's")
  func outageDoesNotSwitchClusters() async throws {
    let names = ["node1", "node2", "node3", "node4", "node5"]
    let lab = try await Self.applied(names, [.mixed("node1"), .mixed("node2")])
    // A second cluster of node3 and worker node4, made by hand; node5 stays standalone.
    await lab.joinByHand([("node4", true)], to: "node3")
    let all: [Node] = [
      .mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("node4"), .mixed("node5"),
    ]
    let file = try lab.topology(all)
    let before = try await lab.world()
    await lab.host("node1", "down")
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stderr.contains("Nothing was changed."), "\(applied.stderr)")
    #expect(!applied.stdout.contains("Applying"), "\(applied.stdout)")
    let after = try await lab.world()
    #expect(after.nodes(of: "node3") == before.nodes(of: "node3"))
    #expect(after.cluster(of: "node5")?.nodes.map(\.name) == ["node5"])
    // The same without any record of the cluster (a new state directory): node1 and
    // node2 cannot be read, and are not in node3's cluster, so nothing is chosen.
    let fresh = await lab.run(["plan", "-f", file, "--state-dir", lab.stateDirectory + "-new"])
    #expect(fresh.status == 1, "\(fresh.stdout)")
    #expect(fresh.stderr.contains("cannot be told"), "\(fresh.stderr)")
    // With every host up and no record, the two clusters are named, not chosen between.
    await lab.host("node1", "up")
    let split = await lab.run(["plan", "-f", file, "--state-dir", lab.stateDirectory + "-new"])
    #expect(split.status == 1)
    #expect(split.stderr.contains("more than one cluster"), "\(split.stderr)")
    #expect(split.stderr.contains("node3 is in another cluster"), "\(split.stderr)")
    #expect(split.stderr.contains("node4 is a worker of another cluster"), "\(split.stderr)")
    // With the record, node3 and node4 are only blocked joins, and node5 joins node1's.
    let recorded = await lab.apply(file)
    #expect(recorded.status == 1, "blocked joins remain: \(recorded.stdout)")
    #expect(recorded.stdout.contains("! join node3: blocked"), "\(recorded.stdout)")
    #expect(Set(try await lab.world().nodes(of: "node1").keys) == ["node1", "node2", "node5"])
    lab.expectNoSecrets()
  }

  @Test("a node on another track never founds the cluster, nor is anything joined to it")
  func founderOnAnotherTrack() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3"], hosts: ["node1": "node1:1.29"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .mixed("node3")])
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "node1 is blocked: \(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("! join node1: blocked"), "\(applied.stdout)")
    #expect(applied.stdout.contains("node1 runs MicroK8s 1.29"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("Apply complete"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("matches the topology"), "\(applied.stdout)")
    let world = try await lab.world()
    // node2, the first on the file's track, founded it; node1 is untouched.
    #expect(Set(world.nodes(of: "node2").keys) == ["node2", "node3"])
    #expect(world.cluster(of: "node1")?.nodes.map(\.name) == ["node1"])
    lab.expectNoSecrets()
  }

  @Test("the cluster's own track is read from its members: none joins a cluster on another")
  func clusterOnAnotherTrack() async throws {
    let lab = try await Self.applied(["node1", "node2"], [.mixed("node1")])
    await lab.sim(["host", ApplyLab.address("node1"), "refresh", "1.29"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let plan = await lab.plan(file)
    #expect(plan.status == 1)
    #expect(plan.stdout.contains("! join node2: blocked"), "\(plan.stdout)")
    #expect(plan.stdout.contains("node1 runs 1.29"), "\(plan.stdout)")
    #expect(plan.stdout.contains("! change-version node1: blocked"), "\(plan.stdout)")
    let applied = await lab.apply(file)
    #expect(applied.status == 1)
    #expect(try await lab.world().cluster(of: "node2")?.nodes.map(\.name) == ["node2"])
  }

  @Test("a misspelt name never prunes a member, and hostnames are checked before a join")
  func misspeltNames() async throws {
    let lab = try await Self.applied(
      ["node1", "worker1", "node3", "node4"],
      [.mixed("node1"), .worker("worker1")],
      hosts: ["node3": "nodec", "node4": "nodec"]
    )
    let misspelt = Node(name: "worker1x", role: "worker", address: ApplyLab.address("worker1"))
    let file = try lab.topology([.mixed("node1"), misspelt], policy: ["prune": "true"])
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("! join worker1x: blocked"), "\(applied.stdout)")
    #expect(applied.stdout.contains("its hostname is worker1, not worker1x"), "\(applied.stdout)")
    #expect(applied.stdout.contains("! remove worker1: blocked"), "\(applied.stdout)")
    #expect(try await lab.world().nodes()["worker1"] == "worker")
    // A standalone host is joined only under its own hostname; two hosts with one
    // hostname are the guide's duplicate-hostname failure.
    let named = try lab.topology(
      [.mixed("node1"), .worker("worker1"), .mixed("node3")],
      file: "named.yaml"
    )
    let plan = await lab.plan(named)
    #expect(plan.stdout.contains("sudo hostnamectl set-hostname node3"), "\(plan.stdout)")
    let twins = try lab.topology(
      [
        .mixed("node1"), .worker("worker1"),
        Node(name: "nodec", address: ApplyLab.address("node3")),
        Node(name: "noded", address: ApplyLab.address("node4")),
      ],
      file: "twins.yaml"
    )
    let twinsPlan = await lab.plan(twins)
    #expect(twinsPlan.status == 1)
    #expect(
      twinsPlan.stdout.contains("is already registered as node nodec"),
      "\(twinsPlan.stdout)"
    )
    #expect(twinsPlan.stdout.contains("unique hostname"), "\(twinsPlan.stdout)")
    #expect(!twinsPlan.stdout.contains("+ join"), "\(twinsPlan.stdout)")
  }

  @Test("maxRemovals counts what the file asks, even while a node is down")
  func maxRemovalsDuringOutage() async throws {
    let guide = ApplyScenarioTests.guide + [.worker("worker2")]
    let lab = try await Self.applied(
      ["node1", "node2", "node3", "worker1", "worker2", "node4"],
      guide
    )
    let file = try lab.topology(
      Array(guide.prefix(3)) + [
        .absent("worker1", role: "worker"),
        .absent("worker2", role: "worker"), .mixed("node4"),
      ]
    )
    for down in [nil, "node1"] {
      if let down { await lab.host(down, "down") }
      let before = try await lab.world()
      let refused = await lab.apply(file)
      #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
      #expect(
        refused.stdout.contains("asks to remove 2 members (worker1, worker2)"),
        "\(refused.stdout)"
      )
      #expect(!refused.stdout.contains("Applying"), "\(refused.stdout)")
      let after = try await lab.world()
      #expect(after.nodes(of: "node2") == before.nodes(of: "node2"), "down: \(down ?? "none")")
    }
  }

  @Test("a node that left by hand, or half-way through a role change, joins again")
  func halfDoneRoleChange() async throws {
    let lab = try await Self.applied(
      ["node1", "node2", "node3", "worker1"],
      ApplyScenarioTests.guide
    )
    await lab.microk8s("node3", ["leave"])
    let same = try lab.topology(ApplyScenarioTests.guide, file: "same.yaml")
    let plan = await lab.plan(same)
    #expect(plan.stdout.contains("+ join node3"), "\(plan.stdout)")
    #expect(plan.stdout.contains("on node1: microk8s remove-node node3"), "\(plan.stdout)")
    let rejoined = await lab.apply(same)
    #expect(rejoined.status == 0, "\(rejoined.stdout)\n\(rejoined.stderr)")
    await lab.expectConverged(same)
    // Now the first step of a role change, mixed to worker, done and nothing more.
    await lab.microk8s("node3", ["leave"])
    let worker = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .worker("node3"), .worker("worker1")],
      file: "worker.yaml"
    )
    let changed = await lab.apply(worker)
    #expect(changed.status == 0, "\(changed.stdout)\n\(changed.stderr)")
    #expect(changed.stdout.contains("~ change-role node3"), "\(changed.stdout)")
    let world = try await lab.world()
    #expect(world.nodes()["node3"] == "worker")
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(worker)
    lab.expectNoSecrets()
  }

  @Test("every control-plane node down: unobservable, never a fresh cluster to found")
  func allControlPlaneDown() async throws {
    let lab = try await Self.applied(
      ["node1", "node2", "node3", "worker1"],
      ApplyScenarioTests.guide
    )
    for name in ["node1", "node2", "node3"] { await lab.host(name, "down") }
    let file = try lab.topology(ApplyScenarioTests.guide)
    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(status.status == 1)
    #expect(status.stderr.contains("no control-plane node of cluster lab (identity "))
    #expect(!status.stdout.contains("not-joined"), "\(status.stdout)")
    let plan = await lab.plan(file)
    #expect(plan.status == 1)
    #expect(!plan.stdout.contains("cannot found the cluster"), "\(plan.stdout)")
    let applied = await lab.apply(file)
    #expect(applied.status == 1)
    #expect(applied.stderr.contains("Nothing was changed."), "\(applied.stderr)")
    let pass = await lab.run([
      "reconcile", "--once", "-f", file, "--state-dir", lab.stateDirectory,
    ])
    #expect(pass.status == 1)
    #expect(pass.stderr.contains("outcome=unobservable"), "\(pass.stderr)")
  }

  @Test("a rebuilt cluster is refused with both identities until adopted on purpose")
  func rebuiltCluster() async throws {
    let lab = try await Self.applied(
      ["node1", "node2", "node3"],
      [.mixed("node1"), .mixed("node2")]
    )
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let first = await lab.plan(file, ["--output", "json"])
    let recorded = try #require(Self.identity(in: first.stdout))
    for name in ["node1", "node2"] { await lab.host(name, "reinstall") }
    await lab.joinByHand([("node2", false)], to: "node1")
    let refused = await lab.plan(file)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("identity \(recorded)"), "\(refused.stderr)")
    #expect(refused.stderr.contains("--allow-foreign-topology"), "\(refused.stderr)")
    let adopted = await lab.plan(file, ["--allow-foreign-topology", "--output", "json"])
    #expect(adopted.status == 0, "\(adopted.stderr)")
    let rebuilt = try #require(Self.identity(in: adopted.stdout))
    #expect(rebuilt != recorded)
    let after = await lab.plan(file, ["--output", "json"])
    #expect(after.status == 0, "\(after.stderr)")
    #expect(Self.identity(in: after.stdout) == rebuilt)
  }

  static func identity(in planJSON: String) -> String? {
    let data = Data(planJSON.utf8)
    let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    return root?["clusterIdentity"] as? String
  }
}
