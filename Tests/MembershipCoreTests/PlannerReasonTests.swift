import MembershipCore
import Testing

/// What a plan says about itself: the founder, addresses in URLs, and reasons that name
/// the nodes a person has to go and look at.
@Suite("Planner: founders, addresses and reasons")
struct PlannerReasonTests {
  let ip = PlannerScenario.ip

  @Test("a brand-new cluster names its founder; a cluster with members has none")
  func founder() {
    var fresh = PlannerScenario(["w1@10.0.0.9:worker", "node1@10.0.0.1:mixed"])
    fresh.standalone("w1", "node1")
    let plan = fresh.plan()
    #expect(plan.founder == "node1")
    #expect(PlanRenderer.text(plan).contains("* node1 founds the cluster"))
    #expect(PlanRenderer.json(plan).contains("\"founder\": \"node1\""))

    var grown = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    grown.member("node1", "10.0.0.1", datastore: .voter)
    grown.standalone("node2")
    #expect(grown.plan().founder == nil)
    #expect(PlanRenderer.json(grown.plan()).contains("\"founder\": null"))
  }

  @Test("a join URL to an IPv6 contact puts the address in brackets")
  func ipv6JoinURL() {
    let track = PlannerScenario.track
    let topology = Topology(
      cluster: ClusterSpec(name: "lab", version: track),
      nodes: [
        NodeSpec(name: "node1", address: ip("fd00::1"), role: .mixed, version: track),
        NodeSpec(name: "node2", address: ip("fd00::2"), role: .worker, version: track),
      ]
    )
    let observed = ObservedCluster(
      contact: "node1",
      nodes: [
        ObservedNode(
          name: "node1",
          internalIP: ip("fd00::1"),
          role: .mixed,
          ready: true,
          kubeletVersion: "v1.28.3"
        )
      ],
      datastore: [DatastoreMember(address: ip("fd00::1"), role: .voter)],
      probes: [NodeProbe(name: "node2", finding: .standalone(track: track))]
    )
    let plan = Planner.plan(desired: topology, observed: observed, fingerprint: "f")
    #expect(plan.changes.map(\.node) == ["node2"])
    #expect(plan.changes.first?.steps.last?.arguments == ["[fd00::1]:25000/<token>", "--worker"])
  }

  @Test("a member at another address is a blocked change of address, not a join")
  func addressMismatch() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.22", datastore: .spare)
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["change-address node2"])
    let reason = plan.blocked.first?.reason ?? ""
    #expect(reason.contains("InternalIP 10.0.0.22"))
    #expect(reason.contains("declares 10.0.0.2"))
    #expect(reason.contains("state: absent"))
  }

  @Test("a down voter is named by its node, not only its address")
  func downVoterNamed() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "node4@10.0.0.4:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter, ready: false)
    scenario.standalone("node4")
    let plan = scenario.plan()
    // The down voter is drift of its own: never "matches the topology".
    #expect(plan.blockedLines == ["join node4", "repair node3"])
    #expect(
      plan.blocked.first?.reason.hasPrefix("datastore voter node3 (10.0.0.3) is down") == true
    )
  }

  @Test("a removal short of quorum lists the voters that are down, by name")
  func quorumReasonNamesDownVoters() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed:absent", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter, ready: false)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.observed.unreachable = ["node2"]
    let plan = scenario.plan()
    #expect(plan.blockedLines == ["remove node1", "repair node2"])
    #expect(plan.blocked.first?.reason.hasSuffix("Voters down: node2 (10.0.0.2)") == true)
    #expect(plan.blocked.last?.reason.contains("could not be reached") == true)
  }

  @Test("a probe that is not ready or not permitted is blocked with what to do, not install")
  func notReadyAndNotPermitted() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "w1@10.0.0.9:worker",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("node2", .notReady)
    scenario.probe("w1", .notPermitted)
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    let reasons = Dictionary(uniqueKeysWithValues: plan.blocked.map { ($0.node, $0.reason) })
    #expect(reasons["node2"]?.contains("sudo microk8s start") == true)
    #expect(reasons["node2"]?.contains("sudo microk8s leave") == true)
    #expect(reasons["w1"]?.contains("'sudo -n'") == true)
    #expect(!plan.blocked.contains { $0.reason.contains("snap install") })
  }

  @Test("nothing to do but a ghost: blocked, with the policy that allows its cleanup")
  func ghostIsBlockedNotNoChanges() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.observed.datastore.append(DatastoreMember(address: ip("10.0.0.7"), role: .spare))
    let plan = scenario.plan()
    let text = PlanRenderer.text(plan)
    #expect(plan.blockedLines == ["cleanup-ghost 10.0.0.7"])
    #expect(text.contains("10.0.0.7:19001 (spare) matches no node"))
    #expect(text.contains("policy.cleanupGhosts: true"))
    #expect(!text.contains("matches the topology"))
    #expect(text.hasSuffix("Plan: 0 to join, 0 to remove, 0 to change, 1 blocked.\n"))
  }

  @Test("a member that is not Ready or on another track is drift, never no changes")
  func notReadyAndOtherTrackAreBlocked() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter, ready: false)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.observed.nodes[2].kubeletVersion = "v1.29.2"
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["repair node2", "change-version node3"])
    let reasons = Dictionary(uniqueKeysWithValues: plan.blocked.map { ($0.node, $0.reason) })
    #expect(reasons["node2"]?.contains("not Ready") == true)
    #expect(reasons["node3"]?.contains("runs MicroK8s 1.29, the topology asks for 1.28") == true)
    #expect(reasons["node3"]?.contains("snap cannot downgrade") == true)
    #expect(!PlanRenderer.text(plan).contains("matches the topology"))
  }

  @Test("unlisted members kept by prune: false are named, and the plan does not say matches")
  func keptMembersAreNamed() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w9", "10.0.0.9", .worker)
    let plan = scenario.plan()
    #expect(plan.isEmpty)
    #expect(plan.kept == ["w9"])
    let text = PlanRenderer.text(plan)
    #expect(text.contains("w9"))
    #expect(text.contains("policy.prune is false"))
    #expect(!text.contains("matches the topology"))
  }
}
