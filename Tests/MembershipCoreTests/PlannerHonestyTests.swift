import MembershipCore
import Testing

/// The planner's side of "one cluster, told truthfully": who may found or join, nodes
/// that left, and drift that no change removes.
@Suite("Planner: founders, hostnames, tracks, nodes that left")
struct PlannerHonestyTests {
  typealias Scenario = PlannerScenario

  @Test("a node that left while its Node stayed registered: remove-node, then join again")
  func leftNodeRejoins() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "w1@10.0.0.9:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", ready: false)
    scenario.member("w1", "10.0.0.9", .worker)
    scenario.observed.probes.append(
      NodeProbe(name: "node2", finding: .standalone(track: Scenario.track), hostname: "node2")
    )
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join node2"])
    #expect(plan.blocked.isEmpty, "\(plan.blockedLines)")
    #expect(
      plan.changes.first?.steps.map(\.commandLine) == [
        "microk8s remove-node node2",
        "microk8s add-node --token <token> --token-ttl 600 --format token-check",
        "microk8s join 10.0.0.1:25000/<token>",
      ]
    )
    // Half a role change: the file wants it a worker now.
    scenario.topology.nodes[1].role = .worker
    let changed = scenario.plan()
    #expect(changed.summaryLines == ["change-role node2"])
    #expect(changed.changes.first?.steps.last?.arguments.last == "--worker")
    #expect(changed.changes.first?.steps.first?.verb == .removeNode)
  }

  @Test("a node that left but is on another track is blocked, not joined")
  func leftNodeOnAnotherTrack() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", ready: false)
    scenario.observed.probes.append(
      NodeProbe(name: "node2", finding: .standalone(track: Track(major: 1, minor: 27)))
    )
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["join node2"])
    #expect(plan.blocked.first?.reason.contains("sudo snap refresh microk8s") == true)
  }

  @Test("a standalone host joins only under its own hostname")
  func hostnameMustMatch() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.observed.probes.append(
      NodeProbe(name: "node2", finding: .standalone(track: Scenario.track), hostname: "ubuntu")
    )
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    let reason = plan.blocked.first?.reason ?? ""
    #expect(reason.contains("is named ubuntu"), "\(reason)")
    #expect(reason.contains("sudo hostnamectl set-hostname node2"), "\(reason)")
    #expect(reason.contains("or name it ubuntu in the file"), "\(reason)")
  }

  @Test("two hosts with one hostname, or one named as a member: the duplicate-hostname failure")
  func duplicateHostnames() {
    var scenario = Scenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "node4@10.0.0.4:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    let track = Scenario.track
    scenario.observed.probes += [
      NodeProbe(name: "node2", finding: .standalone(track: track), hostname: "node2"),
      NodeProbe(name: "node3", finding: .standalone(track: track), hostname: "node2"),
      NodeProbe(name: "node4", finding: .standalone(track: track), hostname: "node1"),
    ]
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    let reasons = Dictionary(uniqueKeysWithValues: plan.blocked.map { ($0.node, $0.reason) })
    let twin = MicroK8sFailure.duplicateHostname(name: "node2", registeredAddress: nil).summary
    #expect(twin.hasPrefix("Another machine"))
    #expect(reasons["node2"]?.contains("(10.0.0.3) is already registered as node node2") == true)
    #expect(reasons["node3"]?.contains("(10.0.0.2) is already registered as node node2") == true)
    #expect(reasons["node4"]?.contains("(10.0.0.1) is already registered as node node1") == true)
    #expect(reasons.values.allSatisfy { $0.contains("unique hostname") })
  }

  @Test("no member answered: a founder on another track or name founds nothing")
  func founderChecks() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.observed.probes = [
      NodeProbe(name: "node1", finding: .standalone(track: Track(major: 1, minor: 29))),
      NodeProbe(name: "node2", finding: .standalone(track: Scenario.track), hostname: "node2"),
    ]
    let plan = scenario.plan()
    #expect(plan.founder == nil)
    #expect(plan.changes.isEmpty)
    #expect(plan.blocked.allSatisfy { $0.reason.hasPrefix("cannot found the cluster on node1") })
    #expect(plan.blocked.first?.reason.contains("runs MicroK8s 1.29") == true)
  }

  @Test("nothing joins a cluster whose control plane runs another track than the file's")
  func clusterTrack() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "w1@10.0.0.9:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.observed.nodes[0].kubeletVersion = "v1.29.1"
    scenario.standalone("node2", "w1")
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["join node2", "join w1", "change-version node1"])
    #expect(plan.blocked[0].reason.contains("node1 runs 1.29"))
  }

  @Test("a strict track's kubelet carries no flavour: 1.30-strict matches v1.30.x")
  func strictTrackMatches() {
    var scenario = Scenario(["node1@10.0.0.1:mixed"])
    scenario.topology.cluster.version = Track(major: 1, minor: 30, strict: true)
    scenario.topology.nodes[0].version = Track(major: 1, minor: 30, strict: true)
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.observed.nodes[0].kubeletVersion = "v1.30.2"
    #expect(scenario.plan().isEmpty)
  }

  @Test("a Ready control-plane node outside a reported datastore is drift")
  func controlPlaneOutsideDatastore() {
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2")
    let plan = scenario.plan()
    #expect(plan.blockedLines == ["repair node2"])
    #expect(plan.blocked.first?.reason.contains("not a datastore member") == true)
  }

  @Test("a joiner whose address is still a ghost: removed in the same change, or blocked")
  func ghostAtJoinersAddress() {
    var scenario = Scenario(
      ["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed"],
      policy: Policy(cleanupGhosts: true)
    )
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    // node1 was reinstalled: standalone now, its old entry a spare of no node.
    scenario.observed.datastore.append(
      DatastoreMember(address: Scenario.ip("10.0.0.1"), role: .spare)
    )
    scenario.standalone("node1")
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join node1"], "\(plan.blockedLines)")
    #expect(
      plan.changes.first?.steps.map(\.commandLine) == [
        "microk8s remove-node 10.0.0.1 --force",
        "microk8s add-node --token <token> --token-ttl 600 --format token-check",
        "microk8s join 10.0.0.2:25000/<token>",
      ]
    )
    #expect(plan.changes.first?.steps.first?.host == "node2", "never the ghost's own machine")
    #expect(plan.blocked.isEmpty, "\(plan.blockedLines)")

    scenario.topology.policy.cleanupGhosts = false
    let blocked = scenario.plan()
    #expect(blocked.changes.isEmpty)
    #expect(blocked.blockedLines == ["join node1", "cleanup-ghost 10.0.0.1"])
    let reason = blocked.blocked.first?.reason ?? ""
    #expect(reason.contains("still a datastore member"), "\(reason)")
    #expect(reason.contains("remove-node 10.0.0.1 --force"), "\(reason)")
  }

  @Test("a ghost that is a listed node's own entry, its MicroK8s still in the cluster, stays")
  func listedNodesEntryIsNotCleanedUp() {
    var scenario = Scenario(
      ["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed"],
      policy: Policy(cleanupGhosts: true)
    )
    // node1 is the contact but has no Node: its entry looks like a ghost.
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.observed.datastore.append(
      DatastoreMember(address: Scenario.ip("10.0.0.1"), role: .voter)
    )
    scenario.observed.contact = "node1"
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty, "\(plan.summaryLines)")
    #expect(plan.blockedLines.contains("cleanup-ghost 10.0.0.1"), "\(plan.blockedLines)")
    let reason = plan.blocked.first { $0.action == .cleanupGhost }?.reason ?? ""
    #expect(reason.contains("is node1's own"), "\(reason)")
  }
}
