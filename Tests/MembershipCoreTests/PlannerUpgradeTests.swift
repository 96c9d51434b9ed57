import MembershipCore
import Testing

/// Rolling upgrades: one minor version at a time across the cluster, control-plane nodes
/// first; blocked from the first node that cannot go, and never a downgrade.
@Suite("Planner: upgrades")
struct PlannerUpgradeTests {
  /// Three mixed nodes and two workers on 1.28, a file asking for `version`.
  static func cluster(asking version: Int, policy: Policy = Policy()) -> PlannerScenario {
    var scenario = PlannerScenario(
      [
        "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
        "w1@10.0.0.8:worker", "w2@10.0.0.9:worker",
      ],
      policy: policy
    )
    let track = Track(major: 1, minor: version)
    scenario.topology.cluster.version = track
    for index in scenario.topology.nodes.indices { scenario.topology.nodes[index].version = track }
    for (name, address) in [("node1", "10.0.0.1"), ("node2", "10.0.0.2"), ("node3", "10.0.0.3")] {
      scenario.member(name, address, datastore: .voter)
    }
    scenario.member("w1", "10.0.0.8", .worker)
    scenario.member("w2", "10.0.0.9", .worker)
    return scenario
  }

  private static func lines(_ plan: Plan) -> [String] {
    plan.changes.map { "\($0.node)@\($0.version?.track ?? "-")" }
  }

  @Test("1.28 to 1.30: every node to 1.29, control plane first, then every node to 1.30")
  func twoMinors() {
    let plan = Self.cluster(asking: 30).plan()
    #expect(
      Self.lines(plan) == [
        "node1@1.29", "node2@1.29", "node3@1.29", "w1@1.29", "w2@1.29",
        "node1@1.30", "node2@1.30", "node3@1.30", "w1@1.30", "w2@1.30",
      ]
    )
    #expect(plan.changes.allSatisfy { $0.action == .upgrade })
    let first = plan.changes[0]
    #expect(
      first.steps.map(\.commandLine) == [
        "microk8s kubectl cordon node1",
        "microk8s kubectl drain node1 --ignore-daemonsets --delete-emptydir-data --timeout=300s",
        "snap refresh microk8s --channel=1.29/stable",
        "microk8s kubectl uncordon node1",
      ]
    )
    #expect(first.steps.map(\.host) == ["node2", "node2", "node1", "node2"])
    #expect(
      first.versionsAfter == [
        .init(track: "1.29", nodes: ["node1"]),
        .init(track: "1.28", nodes: ["node2", "node3", "w1", "w2"]),
      ]
    )
    #expect(first.reason.hasSuffix("to 1.29 first, one minor version at a time"))
    #expect(
      plan.changes[4].versionsAfter == [
        .init(track: "1.29", nodes: ["node1", "node2", "node3", "w1", "w2"])
      ]
    )
    #expect(PlanRenderer.title(first) == "~ upgrade node1 (10.0.0.1) to 1.29")
    #expect(PlanRenderer.summary(plan) == "Plan: 0 to join, 0 to remove, 10 to change, 0 blocked.")
    // Converged once done: the planner plans nothing more.
    #expect(
      PlanRenderer.text(plan).contains(
        "versions after: 1.29 on node1; 1.28 on node2, node3, w1, w2"
      )
    )
  }

  @Test("a cluster half-way carries on from its lowest minor version")
  func halfWay() {
    var scenario = Self.cluster(asking: 30)
    scenario.observed.nodes[0].kubeletVersion = "v1.29.1"
    scenario.observed.nodes[1].kubeletVersion = "v1.29.1"
    let plan = scenario.plan()
    #expect(Self.lines(plan).prefix(4) == ["node3@1.29", "w1@1.29", "w2@1.29", "node1@1.30"])
    #expect(plan.changes.count == 8)
  }

  @Test("a voter down stops the upgrade: every node waits, with the reason")
  func voterDown() {
    var scenario = Self.cluster(asking: 29)
    scenario.observed.nodes[2].ready = false
    scenario.observed.unreachable = ["node3"]
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines.filter { $0.hasPrefix("upgrade") }.count == 5)
    let node1 = plan.blocked.first { $0.node == "node1" }?.reason ?? ""
    #expect(node1.contains("datastore restarts with the refresh"), "\(node1)")
    let w2 = plan.blocked.first { $0.node == "w2" }?.reason ?? ""
    #expect(w2.hasPrefix("to 1.29 waits for node1 to reach 1.29"), "\(w2)")
  }

  @Test("a node ahead of the file is not downgraded; the others are not touched by it")
  func downgrade() {
    var scenario = Self.cluster(asking: 28)
    scenario.observed.nodes[3].kubeletVersion = "v1.29.2"
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["change-version w1"])
    #expect(plan.blocked[0].reason.contains("mktopo only upgrades"))
    #expect(plan.blocked[0].reason.contains("snap cannot downgrade"))
  }

  @Test("a lone node is refreshed without a drain; policy.drain: false never drains")
  func noDrain() {
    var lone = PlannerScenario(["node1@10.0.0.1:mixed"])
    lone.topology.cluster.version = Track(major: 1, minor: 29)
    lone.topology.nodes[0].version = Track(major: 1, minor: 29)
    lone.member("node1", "10.0.0.1", datastore: .voter)
    let plan = lone.plan()
    #expect(plan.changes.map { $0.steps.map(\.verb) } == [[.refresh]])
    #expect(plan.changes[0].reason.hasSuffix("not drained, as the only node"))
    var policy = Policy()
    policy.drain = false
    let undrained = Self.cluster(asking: 29, policy: policy).plan()
    #expect(undrained.changes.allSatisfy { $0.steps.map(\.verb) == [.refresh] })
  }

  @Test("during an upgrade, new nodes join on the cluster's track and are upgraded after")
  func joinDuringUpgrade() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "w1@10.0.0.8:worker", "w2@10.0.0.9:worker",
    ])
    let track = Track(major: 1, minor: 29)
    scenario.topology.cluster.version = track
    for index in scenario.topology.nodes.indices { scenario.topology.nodes[index].version = track }
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.standalone("w1")
    scenario.probe("w2", .microK8sMissing)
    let plan = scenario.plan()
    #expect(
      plan.summaryLines == ["join w1", "join w2", "upgrade node1", "upgrade w1", "upgrade w2"],
      "\(PlanRenderer.text(plan))"
    )
    #expect(
      plan.changes[1].steps[0].commandLine
        == "snap install microk8s --classic --channel=1.28/stable"
    )
    // A standalone node already on the file's version waits for the cluster.
    var ahead = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.8:worker"])
    ahead.topology.cluster.version = track
    for index in ahead.topology.nodes.indices { ahead.topology.nodes[index].version = track }
    ahead.member("node1", "10.0.0.1", datastore: .voter)
    ahead.probe("w1", .standalone(track: track))
    let waiting = ahead.plan()
    #expect(waiting.summaryLines == ["upgrade node1"])
    #expect(waiting.blocked.first?.reason.contains("joins once the cluster runs 1.29") == true)
  }

  @Test("a control-plane member the file does not upgrade holds the others within the skew")
  func heldBack() {
    var scenario = Self.cluster(asking: 30)
    // node3 is not in the file any more, and prune is off: it stays on 1.28.
    scenario.topology.nodes.remove(at: 2)
    let plan = scenario.plan()
    // Control-plane nodes may go one minor above it, workers not past it.
    #expect(Self.lines(plan) == ["node1@1.29", "node2@1.29"])
    let w1 = plan.blocked.first { $0.node == "w1" }?.reason ?? ""
    #expect(w1.hasPrefix("held back by control-plane members on 1.28"), "\(w1)")
    #expect(w1.contains(": node3. w1 cannot go to 1.29"), "\(w1)")
    // node1 and node2 then wait at 1.29: their upgrade to 1.30 is blocked too.
    #expect(
      plan.blockedLines.sorted() == ["upgrade node1", "upgrade node2", "upgrade w1", "upgrade w2"]
    )
    let node1 = plan.blocked.first { $0.node == "node1" }?.reason ?? ""
    #expect(node1.hasPrefix("to 1.30 waits for w1 to reach 1.29"), "\(node1)")
    // With prune on, node3 is removed first, and nothing holds the upgrade back.
    scenario.topology.policy.prune = true
    scenario.topology.policy.maxRemovals = 1
    let pruned = scenario.plan()
    #expect(pruned.summaryLines.first == "remove node3")
    #expect(pruned.changes.filter { $0.action == .upgrade }.count == 8)
  }
}
