import Testing

@testable import MembershipCore

/// Planning in the two-voter window, and plans that do not name a survivor they cannot
/// know (the raft leader keeps the vote when a datastore shrinks to one voter).
@Suite("quorum windows in plans")
struct QuorumWindowPlanningTests {
  typealias Scenario = PlannerScenario

  @Test("shrinking three voters to one names every possible survivor")
  func shrinkNamesCandidates() {
    var scenario = Scenario(
      ["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed:absent", "node3@10.0.0.3:mixed:absent"],
      policy: Policy(maxRemovals: 2)
    )
    for (index, name) in ["node1", "node2", "node3"].enumerated() {
      scenario.member(name, "10.0.0.\(index + 1)", datastore: .voter)
    }
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove node2", "remove node3"], "\(plan.blockedLines)")
    #expect(plan.changes[0].voterOneOf == [Scenario.ip("10.0.0.1"), Scenario.ip("10.0.0.3")])
    // After the second removal only node1 is left: certain, whoever led before.
    #expect(plan.changes[1].voterOneOf.isEmpty)
    #expect(plan.changes[1].reason.contains("if it holds the vote"), "\(plan.changes[1].reason)")
    #expect(!plan.changes[0].reason.contains("if it holds the vote"))
    let text = PlanRenderer.text(plan)
    #expect(
      text.contains(
        "datastore voters after: one of 10.0.0.1, 10.0.0.3 (the raft leader keeps the vote)"
      ),
      "\(text)"
    )
    #expect(PlanRenderer.json(plan).contains("\"voterOneOf\""))
  }

  @Test("a worker removal after a shrink keeps the survivor unknown")
  func choiceCarriesOver() {
    var scenario = Scenario(
      [
        "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed:absent",
        "worker1@10.0.0.9:worker:absent",
      ],
      policy: Policy(maxRemovals: 2)
    )
    for (index, name) in ["node1", "node2", "node3"].enumerated() {
      scenario.member(name, "10.0.0.\(index + 1)", datastore: .voter)
    }
    scenario.member("worker1", "10.0.0.9", .worker)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove worker1", "remove node3"])
    #expect(plan.changes[0].voterOneOf.isEmpty, "three voters, all known")
    #expect(plan.changes[1].voterOneOf == [Scenario.ip("10.0.0.1"), Scenario.ip("10.0.0.2")])
  }

  @Test("in the two-voter window a removal is planned from the roles the leader settles to")
  func windowPlansFromSettledRoles() {
    // node3 left a moment ago: two voters until the leader's next adjustment.
    var scenario = Scenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed:absent"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove node2"], "\(plan.blocked.map(\.reason))")
    // Once node2 is gone node1 is certain; whether node2 may go is the leader's choice.
    #expect(plan.changes.first?.voterOneOf == [])
    #expect(plan.changes.first?.reason.contains("refuses its leave") == true)
  }

  @Test("two voters with none to promote stay two: a voter removal is refused")
  func persistentTwoVoters() {
    var scenario = Scenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed:absent",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter)
    // node3's Node is not Ready: the leader cannot promote it.
    scenario.member("node3", "10.0.0.3", datastore: .spare, ready: false)
    let plan = scenario.plan()
    #expect(plan.summaryLines == ["remove node3"], "a spare may go: \(plan.blockedLines)")

    var voters = scenario
    voters.topology.nodes[2].state = .present
    voters.topology.nodes[1].state = .absent
    let refused = voters.plan()
    #expect(refused.changes.isEmpty, "\(refused.summaryLines)")
    #expect(
      refused.blocked.first?.reason.contains("exactly two voters") == true,
      "\(refused.blocked.map(\.reason))"
    )
  }

  @Test("a voter leaving counts against the current voters, with itself silent")
  func leaverCountsAsGone() {
    let voters = (1...3).map { Scenario.ip("10.0.0.\($0)") }
    let members = voters.map { DatastoreMember(address: $0, role: .voter) }
    // node2 down: node1 leaving would leave node3 alone of three.
    let problem = DatastoreModel.removalProblem(
      of: voters[0],
      from: members,
      live: [voters[0], voters[2]]
    )
    #expect(problem == .quorumLost(liveVotersAfter: 1, votersAfter: 3))
    #expect(
      DatastoreModel.removalProblem(
        of: voters[0],
        from: Array(members.prefix(2)),
        live: Set(voters)
      )
        == .twoVoters
    )
  }
}

@Suite("kubelet heartbeats")
struct HeartbeatTests {
  @Test(
    "RFC 3339 times as the API writes them",
    arguments: [
      ("1970-01-01T00:00:00Z", 0.0), ("2024-05-01T10:00:00Z", 1_714_557_600),
      ("2024-05-01T10:00:00.250000Z", 1_714_557_600.25), ("2000-02-29T23:59:59Z", 951_868_799),
      ("2024-05-01T12:00:00+02:00", 1_714_557_600), ("2024-05-01T09:30:00-00:30", 1_714_557_600),
    ] as [(String, Double)]
  )
  func parsesTimes(text: String, expected: Double) {
    #expect(RFC3339Time.parse(text) == expected)
  }

  @Test(
    "anything else is not a time",
    arguments: [
      "", "2024-05-01", "2024-05-01 10:00:00Z", "2024-13-01T10:00:00Z", "2024-05-01T24:00:00Z",
      "2024-05-01T10:00:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00Zjunk",
      "99999999999999999999-05-01T10:00:00Z", "2024-05-01T10:00:00.1234567891Z",
    ]
  )
  func refusesOthers(text: String) {
    #expect(RFC3339Time.parse(text) == nil)
  }

  @Test("a Lease's renewTime is read; a missing Lease is no heartbeat")
  func leaseOutput() throws {
    let lease = """
      {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
       "metadata": {"name": "node1", "namespace": "kube-node-lease"},
       "spec": {"holderIdentity": "node1", "leaseDurationSeconds": 40,
                "renewTime": "2024-05-01T10:00:00.500000Z"}}
      """
    let output = CommandOutput(exitStatus: 0, stdout: lease, stderr: "")
    #expect(try MicroK8sOutput.leaseRenewal(output) == 1_714_557_600.5)
    let missing = CommandOutput(
      exitStatus: 1,
      stdout: "",
      stderr: "Error from server (NotFound): leases.coordination.k8s.io \"node9\" not found\n"
    )
    #expect(try MicroK8sOutput.leaseRenewal(missing) == nil)
    let garbled = CommandOutput(
      exitStatus: 0,
      stdout: #"{"kind": "Lease", "spec": {"renewTime": "soon"}}"#,
      stderr: ""
    )
    #expect(throws: MicroK8sFailure.self) { try MicroK8sOutput.leaseRenewal(garbled) }
  }
}
