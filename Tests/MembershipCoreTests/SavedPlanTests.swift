import MembershipCore
import Testing

/// A saved plan is the contract apply carries out: read back change for change, its
/// topology checked against its digest, and every re-planned change checked against
/// the approval.
@Suite("Saved plans and approvals")
struct SavedPlanTests {
  static let file = Array("apiVersion: mktopo/v1\nkind: Topology\n".utf8)

  static func change(_ action: Change.Action, _ node: String, role: Role? = nil) -> Change {
    Change(
      action: action,
      node: node,
      address: NodeAddress.parse("10.0.0.9"),
      role: role,
      steps: [Step(.removeNode, on: "node1", arguments: [node])],
      votersAfter: [],
      reason: "because"
    )
  }

  static func plan(_ changes: [Change]) -> Plan {
    var plan = Plan(cluster: "lab", observedFingerprint: "abc", changes: changes)
    plan.topology = PlanTopology(path: "lab.yaml", bytes: file)
    return plan
  }

  static func read(_ plan: Plan) throws -> SavedPlan {
    try SavedPlan.read(PlanRenderer.json(plan)).get()
  }

  @Test("a plan read back is the same plan, with its topology intact")
  func roundTrip() throws {
    let plan = Self.plan([Self.change(.join, "wk1", role: .worker), Self.change(.remove, "n3")])
    let saved = try Self.read(plan)
    #expect(saved.cluster == "lab")
    #expect(saved.observedFingerprint == "abc")
    #expect(saved.topology.path == "lab.yaml")
    #expect(saved.topology.content == String(decoding: Self.file, as: UTF8.self))
    #expect(saved.topology.digest.hasPrefix("sha256:"))
    #expect(saved.topology.digest.count == 7 + 64)
    #expect(saved.topology.isIntact)
    #expect(saved.differences(from: plan).isEmpty)
  }

  @Test("a change added, altered or reordered by hand is a difference")
  func editedChanges() throws {
    let join = Self.change(.join, "wk1", role: .worker)
    let remove = Self.change(.remove, "n3")
    let saved = try Self.read(Self.plan([join, remove]))
    #expect(
      saved.differences(from: Self.plan([join]))
        == ["- in the saved plan only: remove n3"]
    )
    var other = remove
    other.steps[0].arguments = ["n3", "--force"]
    #expect(
      saved.differences(from: Self.plan([join, other]))
        == ["- in the saved plan only: remove n3", "+ planned now only: remove n3"]
    )
    #expect(
      saved.differences(from: Self.plan([remove, join])) == ["the same changes, in another order"]
    )
  }

  @Test("a topology whose content no longer has its digest is not intact")
  func editedTopology() {
    var topology = PlanTopology(path: "lab.yaml", bytes: Self.file)
    topology.content += "# edited\n"
    #expect(!topology.isIntact)
  }

  @Test("what is not a saved plan says why")
  func notSavedPlans() {
    func error(_ text: String) -> String {
      guard case .failure(let error) = SavedPlan.read(text) else { return "read" }
      return error.description
    }
    #expect(error("{").hasPrefix("not JSON"))
    #expect(error("[]") == "not a saved plan: no formatVersion")
    #expect(
      error(#"{"formatVersion": 1}"#) == "not a saved plan: no cluster or observedFingerprint"
    )
    var old = Self.plan([])
    old.topology = nil
    #expect(error(PlanRenderer.json(old)).contains("the plan holds no topology"))
  }

  @Test("an approval holds changes by action, node and the role a join gives")
  func approvals() {
    let approval = Approval([
      Self.change(.join, "wk1", role: .worker), Self.change(.remove, "n3"),
      Self.change(.changeRole, "n2", role: .worker),
    ])
    #expect(approval.count == 3)
    var later = Self.change(.join, "wk1", role: .worker)
    later.steps = []
    later.reason = "the steps and the reason may change as the cluster moves"
    #expect(approval.approves(later))
    #expect(!approval.approves(Self.change(.join, "wk1", role: .mixed)))
    #expect(approval.approves(Self.change(.changeRole, "n2", role: .worker)))
    #expect(!approval.approves(Self.change(.changeRole, "n2", role: .mixed)))
    #expect(!approval.approves(Self.change(.join, "wk2", role: .worker)))
    #expect(
      approval.unapproved(in: [later, Self.change(.cleanupGhost, "10.0.0.7")]).map(\.node)
        == ["10.0.0.7"]
    )
  }
}
