import Foundation
import Testing

/// `mktopo apply` against the simulator: the MicroK8s guides' membership changes, each
/// checked by its exit status, the world it leaves, and a second plan finding nothing to do.
@Suite("apply: scenarios")
struct ApplyScenarioTests {
  typealias Node = ApplyLab.Node

  static let guide: [Node] = [
    .mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("worker1"),
  ]

  /// A world of `names` in which the guide's cluster (three mixed nodes and worker1,
  /// when they are among `names`) has already been applied.
  static func guideCluster(_ names: [String]) async throws -> ApplyLab {
    let lab = try await ApplyLab(names)
    let file = try lab.topology(guide.filter { names.contains($0.name) }, file: "guide.yaml")
    let applied = await lab.apply(file)
    try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    return lab
  }

  @Test("the add-node guide: three mixed nodes and a worker, in one apply")
  func addNodeGuide() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3", "worker1"])
    let file = try lab.topology(Self.guide)
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("Plan: 3 to join, 0 to remove, 0 to change, 0 blocked."))
    #expect(applied.stdout.contains("Apply complete: 3 changes in"), "\(applied.stdout)")
    // The counter counts to the approved plan's 3, whatever a later pass re-planned.
    for counter in ["[1/3] + join node2", "[2/3] + join node3", "[3/3] + join worker1"] {
      #expect(applied.stdout.contains(counter), "\(counter) in \(applied.stdout)")
    }
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node3": "voter"])
    #expect(
      world.nodes() == [
        "node1": "control-plane", "node2": "control-plane", "node3": "control-plane",
        "worker1": "worker",
      ]
    )
    #expect(world.readiness().values.allSatisfy { $0 == "True" }, "\(world.readiness())")
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
    // One fresh token per join, each seen by the scan, which finds one put in its way.
    #expect(lab.tokens.count == 3, "\(lab.tokens)")
    let planted = try #require(lab.tokens.first)
    #expect(lab.secrets(in: [("planted", "join 192.168.1.10:25000/\(planted)")]).count == 2)
  }

  @Test("growing one node per apply: 1 voter; 1 voter and 1 spare; 3 voters")
  func growStepByStep() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3"])
    let expected: [[String: String]] = [
      ["node1": "voter"],
      ["node1": "voter", "node2": "spare"],
      ["node1": "voter", "node2": "voter", "node3": "voter"],
    ]
    for (count, roles) in zip(1..., expected) {
      let file = try lab.topology(Self.guide.prefix(count).map { $0 }, file: "grow-\(count).yaml")
      let applied = await lab.apply(file)
      #expect(applied.status == 0, "\(count) nodes: \(applied.stdout)\n\(applied.stderr)")
      let world = try await lab.world()
      #expect(world.datastore() == roles, "after growing to \(count) nodes")
      #expect(world.problems().isEmpty, "\(world.problems())")
      await lab.expectConverged(file)
    }
    lab.expectNoSecrets()
  }

  @Test("removing a worker: drained, leave on it, then remove-node on a control-plane node")
  func removeWorker() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "worker1"])
    let file = try lab.topology(Self.guide.dropLast() + [.absent("worker1", role: "worker")])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("1/4 on node1: microk8s kubectl cordon worker1"))
    #expect(
      applied.stdout.contains(
        "2/4 on node1: microk8s kubectl drain worker1 --ignore-daemonsets --delete-emptydir-data"
      ),
      "\(applied.stdout)"
    )
    #expect(applied.stdout.contains("3/4 on worker1: microk8s leave"), "\(applied.stdout)")
    #expect(applied.stdout.contains("4/4 on node1: microk8s remove-node worker1\n"))
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == nil)
    #expect(world.cluster(of: "worker1")?.nodes.map(\.name) == ["worker1"])
    #expect(world.datastore().count == 3)
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("replacing node3 with node4: node4 joins before node3 leaves, three voters throughout")
  func replaceControlPlaneNode() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "node4"])
    let file = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .absent("node3"), .mixed("node4")],
      policy: ["maxRemovals": "1"]
    )
    let planned = await lab.plan(file, ["--output", "json"])
    let changes = try Self.changes(planned.stdout)
    #expect(changes.map(\.summary) == ["join node4", "remove node3"])
    // Each change keeps three voters: a majority is never at stake.
    #expect(changes.map(\.votersAfter.count) == [3, 3])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    let join = applied.stdout.range(of: "[1/2] + join node4")
    let remove = applied.stdout.range(of: "[2/2] - remove node3")
    #expect(join != nil && remove != nil, "\(applied.stdout)")
    if let join, let remove { #expect(join.upperBound <= remove.lowerBound) }
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node4": "voter"])
    #expect(Set(world.nodes().keys) == ["node1", "node2", "node4"])
    #expect(world.hosts.first { $0.hostname == "node3" }?.mode == "standalone")
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("replacing node3, which is down: evicted first, then node4 joins a healthy datastore")
  func replaceDeadControlPlaneNode() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "node4"])
    await lab.host("node3", "down")
    let file = try lab.topology([
      .mixed("node1"), .mixed("node2"), .absent("node3"), .mixed("node4"),
    ])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    // Joining while a voter is down can take the cluster down (contract section 9): the
    // plan itself puts node3's eviction first, so the join it shows is the one run.
    let planned = try #require(applied.stdout.components(separatedBy: "Applying").first)
    let evict = planned.range(of: "- remove node3")
    let add = planned.range(of: "+ join node4")
    #expect(evict != nil && add != nil, "\(planned)")
    if let evict, let add { #expect(evict.upperBound <= add.lowerBound) }
    #expect(planned.contains("0 blocked") && !planned.contains("! join"), "\(planned)")
    let remove = applied.stdout.range(of: "on node1: microk8s remove-node node3 --force\n")
    let join = applied.stdout.range(of: "on node4: microk8s join 192.168.1.10:25000/<token>\n")
    #expect(remove != nil && join != nil, "\(applied.stdout)")
    if let remove, let join { #expect(remove.upperBound <= join.lowerBound) }
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node4": "voter"])
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("role changes: worker1 becomes mixed, then node3 becomes a worker")
  func roleChanges() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "worker1"])
    let promoted = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .mixed("node3"), .mixed("worker1")],
      file: "up.yaml"
    )
    let up = await lab.apply(promoted)
    #expect(up.status == 0, "\(up.stdout)\n\(up.stderr)")
    #expect(up.stdout.contains("~ change-role worker1"), "\(up.stdout)")
    var world = try await lab.world()
    #expect(world.nodes()["worker1"] == "control-plane")
    #expect(Set(world.datastore().keys) == ["node1", "node2", "node3", "worker1"])
    #expect(world.datastore().values.filter { $0 == "voter" }.count == 3)
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(promoted)

    let demoted = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .worker("node3"), .mixed("worker1")],
      file: "down.yaml"
    )
    let down = await lab.apply(demoted)
    #expect(down.status == 0, "\(down.stdout)\n\(down.stderr)")
    #expect(down.stdout.contains("~ change-role node3"), "\(down.stdout)")
    world = try await lab.world()
    #expect(world.nodes()["node3"] == "worker")
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "worker1": "voter"])
    #expect(world.readiness().values.allSatisfy { $0 == "True" }, "\(world.readiness())")
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(demoted)
    lab.expectNoSecrets()
  }

  /// One change of `plan --output json`.
  struct PlannedChange {
    var action: String
    var node: String
    var votersAfter: [String]
    var summary: String { "\(action) \(node)" }
  }

  static func changes(_ json: String) throws -> [PlannedChange] {
    let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let changes = try #require(root?["changes"] as? [[String: Any]], "\(json)")
    return changes.map { change in
      PlannedChange(
        action: change["action"] as? String ?? "?",
        node: change["node"] as? String ?? "?",
        votersAfter: change["votersAfter"] as? [String] ?? []
      )
    }
  }
}
