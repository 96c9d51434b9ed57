import Foundation
import Testing

/// `mktopo apply` upgrading a cluster to the file's version against the simulator: one
/// minor version at a time, control plane first, every node drained and uncordoned, the
/// datastore's majority kept throughout; never a downgrade.
@Suite("apply: rolling upgrades")
struct ApplyUpgradeTests {
  typealias Node = ApplyLab.Node

  static let lab: [Node] = [
    .mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("worker1"), .worker("worker2"),
  ]

  @Test("3 mixed + 2 workers, 1.28 to 1.30: two minor steps, each node drained and back")
  func upgradeTwoMinors() async throws {
    let lab = try await ApplyLab(Self.lab.map(\.name))
    let old = try lab.topology(Self.lab, file: "old.yaml")
    try #require(await lab.apply(old).status == 0)
    for (pod, node) in [("web-0", "worker1"), ("web-1", "worker2"), ("web-2", "node1")] {
      await lab.sim(["pod", "add", "shop/\(pod)", "--on", node, "--app", "web"])
    }
    await lab.sim([
      "pdb", "add", "shop/web", "--on", "node1", "--app", "web", "--min-available", "1",
    ])
    let file = try lab.topology(Self.lab, policy: ["drainTimeout": "60s"], version: "1.30")

    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(status.stdout.contains("v1.28.3 (wants 1.30)"), "\(status.stdout)")
    let planned = await lab.plan(file, ["--detailed-exitcode"])
    #expect(planned.status == 2, "\(planned.stdout)\n\(planned.stderr)")
    #expect(planned.stdout.contains("Plan: 0 to join, 0 to remove, 10 to change, 0 blocked."))
    #expect(
      planned.stdout.contains(
        "versions after: 1.29 on node1; 1.28 on node2, node3, worker1, worker2"
      ),
      "\(planned.stdout)"
    )

    // Each refresh takes its node's services (and datastore member) away for a second,
    // as on a real machine, only shorter: two voters away at once would be a lost majority.
    await lab.sim(["settings", "ready-delay=1s"])
    let (applied, watch) = await VoterWatch.watching(lab) { await lab.apply(file) }
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    let order = [
      "[1/10] ~ upgrade node1 (192.168.1.10) to 1.29", "[2/10] ~ upgrade node2",
      "[3/10] ~ upgrade node3", "[4/10] ~ upgrade worker1", "[5/10] ~ upgrade worker2",
      "[6/10] ~ upgrade node1 (192.168.1.10) to 1.30", "[10/10] ~ upgrade worker2",
    ]
    var last = applied.stdout.startIndex
    for title in order {
      guard let found = applied.stdout.range(of: title, range: last..<applied.stdout.endIndex)
      else {
        Issue.record("\(title) missing or out of order in \(applied.stdout)")
        break
      }
      last = found.upperBound
    }
    // Progress lines, as `      2/4 on node2: microk8s kubectl drain node1 ...`.
    let progress = applied.stdout.split(separator: "\n").filter { $0.contains("/4 on ") }
    for verb in ["kubectl cordon", "kubectl drain", "snap refresh", "kubectl uncordon"] {
      let count = progress.filter { $0.contains(": microk8s \(verb)") || $0.contains(": \(verb)") }
      #expect(count.count == 10, "\(verb): \(count.count) in \(applied.stdout)")
    }
    #expect(applied.stdout.contains("(10 upgraded a minor version)"), "\(applied.stdout)")
    // A majority of the voters at every sampled moment, and never a voter out while
    // another was down.
    #expect(await watch.violations(watching: "node1") == [])
    let world = try await lab.world()
    let versions = (world.cluster(of: "node1")?.nodes ?? []).map(\.kubeletVersion)
    #expect(versions.count == 5 && versions.allSatisfy { $0.hasPrefix("v1.30.") }, "\(versions)")
    #expect(world.cordoned().isEmpty)
    #expect(world.datastore().values.filter { $0 == "voter" }.count == 3)
    #expect(world.readiness().values.allSatisfy { $0 == "True" })
    await lab.expectConverged(file)
    lab.expectNoSecrets()

    // Back to 1.28: refused, with the reason.
    let back = await lab.plan(old)
    #expect(back.stdout.contains("! change-version node1: blocked"), "\(back.stdout)")
    #expect(back.stdout.contains("snap cannot downgrade MicroK8s in place"), "\(back.stdout)")
  }

  @Test("a voter down: no node is refreshed, and the plan says why")
  func voterDown() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3"])
    let nodes: [Node] = [.mixed("node1"), .mixed("node2"), .mixed("node3")]
    try #require(await lab.apply(try lab.topology(nodes, file: "old.yaml")).status == 0)
    await lab.host("node3", "down")
    let file = try lab.topology(nodes, version: "1.29")
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("datastore restarts with the refresh"), "\(applied.stdout)")
    #expect(!applied.stdout.contains("snap refresh microk8s --channel=1.29/stable\n        ok"))
    let versions = (try await lab.world().cluster(of: "node1")?.nodes ?? []).map(\.kubeletVersion)
    #expect(versions.allSatisfy { $0.hasPrefix("v1.28.") }, "\(versions)")
  }
}
