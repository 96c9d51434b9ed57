import MembershipCore
import Testing

/// Where the planner puts cordon, drain and uncordon, and when it leaves them out.
@Suite("Planner: draining")
struct PlannerDrainTests {
  private static func verbs(_ change: Change) -> [String] {
    change.steps.map { "\($0.verb.rawValue)@\($0.host)" }
  }

  @Test("the drain runs on the contact with policy.drainTimeout, before the leave")
  func timeoutFromPolicy() {
    var policy = Policy()
    policy.drainTimeout = .seconds(90)
    var scenario = PlannerScenario(
      ["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker:absent"],
      policy: policy
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker)
    let change = scenario.plan().changes[0]
    #expect(
      Self.verbs(change) == ["cordon@node1", "drain@node1", "leave@w1", "remove-node@node1"]
    )
    #expect(
      change.steps[1].arguments
        == ["w1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=90s"]
    )
    #expect(change.reason == "state: absent")
  }

  @Test("policy.drain: false plans removals and role changes without cordon, drain or uncordon")
  func drainOff() {
    var policy = Policy()
    policy.drain = false
    var scenario = PlannerScenario(
      ["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker:absent", "node2@10.0.0.2:worker"],
      policy: policy
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker)
    scenario.member("node2", "10.0.0.2", datastore: .spare)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["change-role node2", "remove w1"])
    #expect(
      Self.verbs(plan.changes[0]) == [
        "leave@node2", "remove-node@node1", "add-node@node1", "join@node2",
      ]
    )
    #expect(Self.verbs(plan.changes[1]) == ["leave@w1", "remove-node@node1"])
    #expect(plan.changes.allSatisfy { !$0.reason.contains("drain") })
  }

  @Test("a node that is not Ready is removed without a drain, and the reason says so")
  func notReady() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "w1@10.0.0.9:worker:absent",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker, ready: false)
    scenario.observed.unreachable = ["w1"]
    let change = scenario.plan().changes[0]
    #expect(Self.verbs(change) == ["remove-node@node1"])
    #expect(change.reason.hasSuffix("; not drained, as its Node is not Ready"))
  }

  @Test("a Ready node with no connection is drained through the contact, then evicted")
  func readyButUnreachable() {
    var policy = Policy()
    policy.prune = true
    var scenario = PlannerScenario(
      ["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed"],
      policy: policy
    )
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    scenario.member("node3", "10.0.0.3", datastore: .voter)
    scenario.member("stray", "10.0.0.7", .worker)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove stray"])
    #expect(Self.verbs(plan.changes[0]) == ["cordon@node1", "drain@node1", "remove-node@node1"])
    #expect(plan.changes[0].steps.last?.arguments == ["stray"])
  }

  @Test("removing the contact itself: a stand-in runs the drain and the remove-node")
  func contactLeaves() {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed:absent", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "node4@10.0.0.4:mixed",
    ])
    for (name, address) in [
      ("node1", "10.0.0.1"), ("node2", "10.0.0.2"), ("node3", "10.0.0.3"), ("node4", "10.0.0.4"),
    ] {
      scenario.member(name, address, datastore: name == "node4" ? .standby : .voter)
    }
    let change = scenario.plan().changes[0]
    #expect(
      Self.verbs(change) == ["cordon@node2", "drain@node2", "leave@node1", "remove-node@node2"]
    )
    #expect(change.steps.filter { $0.verb != .leave }.allSatisfy { $0.arguments.first == "node1" })
  }

  @Test("a node that left by itself is removed and rejoined without drain or uncordon")
  func leftNode() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("w1", "10.0.0.9", .worker, ready: false)
    scenario.probe("w1", .standalone(track: PlannerScenario.track))
    let plan = scenario.plan()
    #expect(plan.changes.count == 1)
    #expect(
      plan.changes.first.map(Self.verbs) == ["remove-node@node1", "add-node@node1", "join@w1"]
    )
  }
}
