import MembershipCore
import Testing

@Suite("Planner: the add-node guide and everyday changes")
struct PlannerTests {
  let ip = PlannerScenario.ip

  @Test("a brand-new cluster: the first mixed node founds it, the rest join in file order")
  func bootstrap() {
    var scenario = PlannerScenario([
      "w1@10.0.0.9:worker", "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.standalone("w1", "node1", "node2", "node3")
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join node2", "join node3", "join w1"])
    #expect(plan.blocked.isEmpty)
    #expect(plan.changes[0].steps.map(\.host) == ["node1", "node2"])
    #expect(plan.changes[0].steps[1].arguments == ["10.0.0.1:25000/<token>"])
    #expect(plan.changes[2].steps[1].arguments == ["10.0.0.1:25000/<token>", "--worker"])
    #expect(
      plan.changes[0].steps[0].arguments == [
        "--token", "<token>", "--token-ttl", "600", "--format", "token-check",
      ]
    )
    // 1 -> 2 control-plane nodes: still one voter; the third makes three.
    #expect(plan.changes[0].votersAfter == [ip("10.0.0.1")])
    #expect(plan.changes[1].votersAfter == [ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")])
  }

  @Test("1 -> 2 -> 3 mixed nodes, one join at a time from the observed state")
  func growByOne() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .spare)
    scenario.standalone("node3")
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join node3"])
    #expect(plan.changes[0].votersAfter.count == 3)
  }

  @Test("a converged cluster plans nothing")
  func converged() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker)
    #expect(scenario.plan().isEmpty)
  }

  @Test("removing a reachable worker: drained, leave on it, then remove-node on the contact")
  func removeWorker() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker:absent"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove w1"])
    #expect(
      plan.changes[0].steps.map(\.commandLine) == [
        "microk8s kubectl cordon w1",
        "microk8s kubectl drain w1 --ignore-daemonsets --delete-emptydir-data --timeout=300s",
        "microk8s leave", "microk8s remove-node w1",
      ]
    )
    #expect(plan.changes[0].steps.map(\.host) == ["node1", "node1", "w1", "node1"])
  }

  @Test("an unreachable absent node is removed with --force after its name")
  func forcedRemoval() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed:absent",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter, ready: false)
    scenario.observed.unreachable = ["node3"]
    let plan = scenario.plan()
    #expect(
      plan.changes.map { $0.steps.map(\.commandLine) } == [["microk8s remove-node node3 --force"]]
    )
    // Two control-plane members keep one voter and one spare (contract section 9).
    #expect(plan.changes[0].votersAfter == [ip("10.0.0.1")])
  }

  @Test("the only voter cannot be removed while others exist")
  func onlyVoter() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed:absent", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .spare)
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["remove node1"])
  }

  @Test("losing a majority of voters is refused; the unreachable are unknown, not gone")
  func quorum() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed:absent", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter, ready: false)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.observed.unreachable = ["node2"]
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["remove node1", "repair node2"])
  }

  @Test("replacing a control-plane node: the new one joins first, then the old one leaves")
  func replace() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed:absent",
      "node4@10.0.0.4:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.standalone("node4")
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join node4", "remove node3"])
    #expect(plan.changes[1].votersAfter == [ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.4")])
  }

  @Test("a role change is drain, leave, remove-node, rejoin with the new role, uncordon")
  func roleChange() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .spare)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["change-role node2"])
    #expect(
      plan.changes[0].steps.map(\.commandLine) == [
        "microk8s kubectl cordon node2",
        "microk8s kubectl drain node2 --ignore-daemonsets --delete-emptydir-data --timeout=300s",
        "microk8s leave", "microk8s remove-node node2",
        "microk8s add-node --token <token> --token-ttl 600 --format token-check",
        "microk8s join 10.0.0.1:25000/<token> --worker",
        "microk8s kubectl uncordon node2",
      ]
    )
    #expect(
      plan.changes[0].steps.map(\.host) == [
        "node1", "node1", "node2", "node1", "node1", "node2", "node1",
      ]
    )
  }

  @Test("a node on another track is blocked with the command that fixes it")
  func versionMismatch() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("node2", .standalone(track: Track(major: 1, minor: 29)))
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    // 1.29 is newer: snap cannot downgrade, so the fix is a clean install of the track.
    #expect(
      plan.blocked.first?.reason.contains(
        "sudo snap remove microk8s --purge && sudo snap install microk8s --classic "
          + "--channel=1.28/stable"
      ) == true
    )
    scenario.observed.probes = [
      NodeProbe(name: "node2", finding: .standalone(track: Track(major: 1, minor: 27)))
    ]
    #expect(
      scenario.plan().blocked.first?.reason.contains(
        "sudo snap refresh microk8s --channel=1.28/stable"
      ) == true
    )
  }

  @Test("missing MicroK8s (policy.install false), another cluster's member, an unreachable host")
  func unjoinable() {
    var policy = Policy()
    policy.install = false
    var scenario = PlannerScenario(
      ["node1@10.0.0.1:mixed", "a@10.0.0.2:worker", "b@10.0.0.3:worker", "c@10.0.0.4:worker"],
      policy: policy
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("a", .microK8sMissing)
    scenario.probe("b", .memberOfAnotherCluster)
    scenario.observed.unreachable = ["c"]
    let reasons = scenario.plan().blocked.map(\.reason)
    #expect(reasons.count == 3)
    #expect(reasons[0].contains("and policy.install is false"))
    #expect(reasons[0].contains("sudo snap install microk8s --classic --channel=1.28/stable"))
    #expect(reasons[1].contains("joining would wipe its data"))
    #expect(reasons[2].contains("not treated as absent"))
  }

  @Test("a control-plane join waits while a voter is down; a worker join does not")
  func joinWithVoterDown() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "node4@10.0.0.4:mixed", "w1@10.0.0.9:worker",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter, ready: false)
    scenario.observed.unreachable = ["node3"]
    scenario.standalone("node4", "w1")
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join w1"])
    #expect(plan.blockedLines == ["join node4", "repair node3"])
  }

  @Test("unlisted members stay unless prune is on; more than maxRemovals refuses them all")
  func prune() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("x1", "10.0.0.21", .worker)
    scenario.member("x2", "10.0.0.22", .worker)
    #expect(scenario.plan().isEmpty)
    #expect(scenario.plan().kept == ["x1", "x2"])
    scenario.topology.policy.prune = true
    let plan = scenario.plan()
    #expect(plan.summaryLines == [])
    #expect(plan.blockedLines == ["remove x1", "remove x2"])
    #expect(plan.blocked.allSatisfy { $0.stopsApply })
    #expect(plan.blocked[0].reason.contains("asks to remove 2 members (x1, x2)"))
    #expect(plan.blocked[0].reason.contains("policy.maxRemovals (1)"))
    scenario.topology.policy.maxRemovals = 2
    #expect(scenario.plan().summaryLines == ["remove x1", "remove x2"])
  }

  @Test("maxRemovals counts what the file asks for, even when a removal is blocked")
  func maxRemovalsCountsBlockedRemovals() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed:absent",
      "w1@10.0.0.9:worker:absent", "w2@10.0.0.10:worker",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter, ready: false)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker)
    scenario.observed.unreachable = ["node1"]
    scenario.observed.contact = "node2"
    scenario.standalone("w2")
    let plan = scenario.plan()
    // Two removals asked, one allowed: nothing at all is planned, not even w2's join.
    #expect(plan.blocked.filter(\.stopsApply).map(\.node) == ["node3", "w1"])
  }

  @Test("a member whose address the file lists under a misspelt name is never pruned")
  func misnamedMemberIsNotPruned() {
    var scenario = PlannerScenario(
      ["node1@10.0.0.1:mixed", "worker1x@10.0.0.9:worker"],
      policy: Policy(prune: true)
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("worker1", "10.0.0.9", .worker)
    scenario.probe("worker1x", .memberOfAnotherCluster)
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["join worker1x", "remove worker1"])
    let reasons = Dictionary(uniqueKeysWithValues: plan.blocked.map { ($0.node, $0.reason) })
    #expect(reasons["worker1x"]?.contains("its hostname is worker1, not worker1x") == true)
    #expect(reasons["worker1"]?.contains("lists its address 10.0.0.9 as worker1x") == true)
    // Marked absent under the wrong name: nothing is removed either.
    scenario.topology.nodes[1].state = .absent
    let absent = scenario.plan()
    #expect(absent.changes.isEmpty)
    #expect(absent.blockedLines.contains("remove worker1x"))
  }

  @Test("ghosts are blocked, or cleaned up with cleanupGhosts")
  func ghosts() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.observed.datastore.append(DatastoreMember(address: ip("10.0.0.50"), role: .spare))
    #expect(scenario.plan().changes.isEmpty)
    #expect(scenario.plan().blocked.first?.reason.contains("10.0.0.50:19001") == true)
    scenario.topology.policy.cleanupGhosts = true
    let plan = scenario.plan()
    #expect(
      plan.changes.map { $0.steps.map(\.commandLine) } == [
        ["microk8s remove-node 10.0.0.50 --force"]
      ]
    )
  }

  @Test("a file naming none of the cluster's nodes is refused")
  func foreign() {
    var scenario = PlannerScenario(
      ["other1@10.0.9.1:mixed"],
      policy: Policy(prune: true, maxRemovals: 5)
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.standalone("other1")
    let refused = scenario.plan()
    #expect(refused.changes.isEmpty)
    #expect(refused.blocked.map(\.reason).count == 1)
    #expect(refused.blocked.first?.reason.contains("names none of the cluster's nodes") == true)
  }

  @Test("a file that would remove every member is refused unless overridden")
  func removeEverything() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed:absent", "other1@10.0.9.1:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.standalone("other1")
    let refused = scenario.plan()
    #expect(refused.changes.isEmpty)
    #expect(refused.blocked.first?.reason.contains("would remove every current member") == true)
    // With the override the new node joins; the old one goes in a later pass, once the
    // newcomer is an observed member that can run remove-node.
    let overridden = scenario.plan(Planner.Options(allowForeignTopology: true))
    #expect(overridden.summaryLines == ["join other1"])
    #expect(overridden.blockedLines == ["remove node1"])
  }

  @Test("the same inputs give byte-identical plans")
  func deterministic() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "w1@10.0.0.9:worker",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.standalone("node2", "w1")
    var shuffled = scenario
    shuffled.observed.probes.reverse()
    #expect(PlanRenderer.json(scenario.plan()) == PlanRenderer.json(shuffled.plan()))
  }
}
