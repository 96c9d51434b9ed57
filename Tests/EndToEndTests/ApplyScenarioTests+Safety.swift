import Foundation
import Testing

/// What apply refuses to do: remove a node it cannot see, act on a stale plan, act without
/// confirmation, or carry out a plan that removes too much.
extension ApplyScenarioTests {
  @Test("a listed node that is down is never removed; the rest converges, exit 1")
  func listedNodeDown() async throws {
    let lab = try await Self.guideCluster([
      "node1", "node2", "node3", "worker1", "node4", "worker2",
    ])
    await lab.host("node3", "down")
    await lab.host("node4", "down")
    let file = try lab.topology(
      Self.guide + [.mixed("node4"), .worker("worker2")],
      policy: ["prune": "true"]
    )
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("! join node4: blocked"), "\(applied.stdout)")
    #expect(applied.stderr.contains("node4"), "\(applied.stderr)")
    #expect(!applied.stdout.contains("remove node3"), "\(applied.stdout)")
    let world = try await lab.world()
    #expect(world.nodes()["worker2"] == "worker")
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node3": "voter"])
    #expect(world.cluster(of: "node4")?.id != world.cluster(of: "node1")?.id)
    #expect(world.problems().isEmpty, "\(world.problems())")
    lab.expectNoSecrets()
  }

  @Test("a down node marked absent is evicted with remove-node NAME --force")
  func absentNodeDown() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "worker1"])
    await lab.host("node3", "down")
    let file = try lab.topology(
      [.mixed("node1"), .mixed("node2"), .absent("node3"), .worker("worker1")])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("on node1: microk8s remove-node node3 --force"))
    #expect(!applied.stdout.contains("on node3: microk8s leave"), "\(applied.stdout)")
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "spare"])
    #expect(world.nodes()["node3"] == nil)
    #expect(world.problems().isEmpty, "\(world.problems())")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("an unlisted member that is down is removed only with prune: true")
  func unlistedNodeDown() async throws {
    let lab = try await Self.guideCluster(["node1", "node2", "node3", "worker1"])
    await lab.host("worker1", "down")
    let unlisted = Array(Self.guide.dropLast())
    let kept = try lab.topology(unlisted, file: "kept.yaml")
    let untouched = await lab.apply(kept)
    #expect(untouched.status == 0, "\(untouched.stdout)\n\(untouched.stderr)")
    #expect(untouched.stdout.contains("No changes."), "\(untouched.stdout)")
    #expect(try await lab.world().nodes()["worker1"] == "worker")

    let pruned = try lab.topology(unlisted, policy: ["prune": "true"], file: "pruned.yaml")
    let applied = await lab.apply(pruned)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("on node1: microk8s remove-node worker1\n"))
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == nil)
    #expect(world.datastore().count == 3)
    await lab.expectConverged(pruned)
    lab.expectNoSecrets()
  }

  @Test("--plan: refused once the cluster changed since plan --out; applied while unchanged")
  func savedPlan() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3"])
    // A cluster to read while node3 is down: with none, nothing could be founded then.
    await lab.joinByHand([("node2", false)], to: "node1")
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .mixed("node3")])
    let saved = lab.directory.url.appendingPathComponent("plan.json").path
    let planned = await lab.plan(file, ["--out", saved])
    #expect(planned.status == 0, "\(planned.stderr)")
    await lab.host("node3", "down")
    let before = try await lab.world()
    let stale = await lab.apply(file, ["--auto-approve", "--plan", saved])
    #expect(stale.status == 1, "\(stale.stdout)\n\(stale.stderr)")
    #expect(stale.stderr.contains("the cluster has changed since the plan"), "\(stale.stderr)")
    #expect(stale.stderr.contains("nothing was changed"), "\(stale.stderr)")
    #expect(try await lab.world().datastore() == before.datastore())
    #expect(before.datastore().count == 2)

    // The world as it was when the plan was made: the plan applies.
    await lab.host("node3", "up")
    let applied = await lab.apply(file, ["--auto-approve", "--plan", saved])
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(try await lab.world().datastore().count == 3)
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("without a terminal and without --auto-approve, apply refuses and changes nothing")
  func noTerminal() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let refused = await lab.apply(file, [])
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    #expect(refused.stderr.contains("--auto-approve"), "\(refused.stderr)")
    #expect(!refused.stdout.contains("Applying to cluster"), "\(refused.stdout)")
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter"])
    #expect(world.hosts.allSatisfy { $0.mode == "standalone" })
    lab.expectNoSecrets()
  }

  @Test(
    "on a terminal, apply asks; anything but 'yes' changes nothing",
    .enabled(if: which("script") != nil, "needs script(1) for a terminal")
  )
  func terminalConfirmation() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let declined = await lab.applyInTerminal(file, answer: "no")
    #expect(declined.status == 1, "\(declined.stdout)")
    #expect(declined.stdout.contains("Only 'yes' will be accepted"), "\(declined.stdout)")
    #expect(declined.stdout.contains("Apply cancelled; nothing was changed."))
    #expect(try await lab.world().datastore() == ["node1": "voter"])
    let accepted = await lab.applyInTerminal(file, answer: "yes")
    #expect(accepted.status == 0, "\(accepted.stdout)")
    #expect(try await lab.world().datastore() == ["node1": "voter", "node2": "spare"])
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  /// Topologies refused as a whole, before any step: each leaves the world as it was.
  ///
  /// A file naming none of the members cannot be made live, as the contact is always a
  /// node the file lists; the planner's tests cover it.
  static let refusals: [(name: String, nodes: [Node], policy: [String: String], says: String)] = [
    (
      "more removals than maxRemovals",
      [.mixed("node1"), .mixed("node2"), .mixed("node3"), .absent("worker1", role: "worker")]
        + [.absent("worker2", role: "worker")],
      ["maxRemovals": "1"], "policy.maxRemovals (1)"
    ),
    (
      // node4 is down, and nodes marked absent are never read: no cluster can be read.
      "every member removed",
      ["node1", "node2", "node3"].map { .absent($0) }
        + [
          .absent("worker1", role: "worker"), .absent("worker2", role: "worker"), .mixed("node4"),
        ],
      ["maxRemovals": "10"], "must keep at least one member of the cluster present"
    ),
  ]

  @Test("refused before any step", arguments: refusals.indices)
  func refusedPlan(_ index: Int) async throws {
    let refusal = Self.refusals[index]
    let lab = try await Self.guideCluster([
      "node1", "node2", "node3", "worker1", "worker2", "node4",
    ])
    let joined = try lab.topology(Self.guide + [.worker("worker2")], file: "workers.yaml")
    try #require(await lab.apply(joined).status == 0)
    await lab.host("node4", "down")
    let before = try await lab.world()
    let file = try lab.topology(refusal.nodes, policy: refusal.policy)
    let refused = await lab.apply(file)
    #expect(refused.status == 1, "\(refusal.name): \(refused.stdout)\n\(refused.stderr)")
    let output = refused.stdout + refused.stderr
    #expect(output.contains(refusal.says), "\(refusal.name): \(output)")
    #expect(
      refused.stderr.lowercased().contains("nothing was changed"),
      "\(refusal.name): \(refused.stderr)"
    )
    #expect(!refused.stdout.contains("Applying to cluster"), "\(refused.stdout)")
    let after = try await lab.world()
    #expect(after.datastore() == before.datastore(), "\(refusal.name)")
    #expect(after.nodes() == before.nodes(), "\(refusal.name)")
    #expect(after.nodes().count == 5)
    lab.expectNoSecrets()
  }
}

extension ApplyScenarioTests {
  @Test("a warning about a down host is said once per apply, not once per pass")
  func warningsOnce() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3", "worker1", "worker2"])
    await lab.host("worker2", "down")
    let file = try lab.topology(Self.guide + [.worker("worker2")])
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("[3/3]"), "\(applied.stdout)")
    let warnings = applied.stderr.split(separator: "\n").filter {
      $0.hasPrefix("warning: worker2")
    }
    #expect(warnings.count == 1, "\(applied.stderr)")
  }
}

extension ApplyScenarioTests {
  @Test("apply takes the topology as its argument too; a saved plan there is still a plan")
  func applyTopologyArgument() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let applied = await lab.run([
      "apply", file, "--state-dir", lab.stateDirectory, "--auto-approve",
    ])
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(try await lab.world().datastore().keys.sorted() == ["node1", "node2"])
    let saved = lab.directory.url.appendingPathComponent("plan.json").path
    let planned = await lab.plan(file, ["--out", saved])
    #expect(planned.status == 0, "\(planned.stderr)")
    let again = await lab.run(["apply", saved, "--state-dir", lab.stateDirectory])
    #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
    #expect(again.stdout.contains("No changes"), "\(again.stdout)")
  }
}
