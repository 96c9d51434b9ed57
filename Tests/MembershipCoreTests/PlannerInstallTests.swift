import MembershipCore
import Testing

/// Hosts without MicroK8s: installed within their join, or before they found the cluster;
/// blocked with the command when the policy or the node's commands do not allow it.
@Suite("Planner: installing MicroK8s")
struct PlannerInstallTests {
  private static func verbs(_ change: Change) -> [String] {
    change.steps.map { "\($0.verb.rawValue)@\($0.host)" }
  }

  @Test("a bare host is installed on the file's track, then joined, in one change")
  func installThenJoin() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("w1", .microK8sMissing)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["join w1"])
    let change = plan.changes[0]
    #expect(Self.verbs(change) == ["install@w1", "add-node@node1", "join@w1"])
    #expect(
      change.steps[0].commandLine == "snap install microk8s --classic --channel=1.28/stable"
    )
    #expect(change.reason.contains("MicroK8s is not installed there, so it is installed"))
    #expect(PlanRenderer.summary(plan) == "Plan: 1 to join, 0 to remove, 0 to change, 0 blocked.")
  }

  @Test("a bare founder is installed in a change of its own; the others join it")
  func installFounder() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.probe("node1", .microK8sMissing)
    scenario.probe("node2", .microK8sMissing)
    let plan = scenario.plan()
    #expect(plan.founder == "node1")
    #expect(plan.summaryLines == ["install node1", "join node2"])
    #expect(Self.verbs(plan.changes[0]) == ["install@node1"])
    #expect(Self.verbs(plan.changes[1]) == ["install@node2", "add-node@node1", "join@node2"])
    #expect(PlanRenderer.summary(plan) == "Plan: 1 to join, 0 to remove, 1 to change, 0 blocked.")
    #expect(PlanRenderer.title(plan.changes[0]) == "+ install node1 (10.0.0.1) as mixed")
  }

  @Test("policy.install: false blocks with the command to run")
  func installOff() {
    var policy = Policy()
    policy.install = false
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker"], policy: policy)
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("w1", .microK8sMissing)
    let plan = scenario.plan()
    #expect(plan.changes.isEmpty)
    #expect(plan.blockedLines == ["join w1"])
    #expect(
      plan.blocked[0].reason
        == "MicroK8s is not installed on w1 (or cannot be run), and policy.install is false; "
        + "on it run: sudo snap install microk8s --classic --channel=1.28/stable"
    )
  }

  @Test("a microk8s command that does not end in microk8s needs a snap command")
  func noSnapCommand() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "w1@10.0.0.9:worker"])
    scenario.topology.nodes[1].microk8s = ["/usr/local/bin/run-k8s"]
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.probe("w1", .microK8sMissing)
    var plan = scenario.plan()
    #expect(plan.blockedLines == ["join w1"])
    #expect(plan.blocked[0].reason.contains("give the node a 'snap:' command"))
    scenario.topology.nodes[1].snap = ["/usr/local/bin/run-snap"]
    plan = scenario.plan()
    #expect(plan.summaryLines == ["join w1"])
  }

  @Test("the snap command: given, else the microk8s command's last word made snap")
  func snapCommand() {
    var node = NodeSpec(name: "n", address: nil, version: PlannerScenario.track)
    #expect(node.snapCommand == ["sudo", "-n", "snap"])
    node.microk8s = ["microk8s"]
    #expect(node.snapCommand == ["snap"])
    node.microk8s = ["ssh-wrapper", "{address}"]
    #expect(node.snapCommand == nil)
    node.snap = ["sudo", "-n", "/usr/bin/snap"]
    #expect(node.snapCommand == ["sudo", "-n", "/usr/bin/snap"])
  }
}
