import Testing

@testable import MicroK8sSimulator

/// The dqlite role rules of contract §9, as joins, leaves and removals change membership.
@Suite("Datastore roles")
struct DatastoreRoleTests {
  @Test(
    "grows from 1 to 7 control-plane nodes with the go-dqlite role targets",
    arguments: [
      (1, 1, 0, 0), (2, 1, 0, 1), (3, 3, 0, 0), (4, 3, 1, 0), (5, 3, 2, 0), (6, 3, 3, 0),
      (7, 3, 3, 1),
    ]
  )
  func growth(members: Int, voters: Int, standbys: Int, spares: Int) {
    let lab = Lab.cluster(controlPlanes: members)
    let counts = lab.roleCounts()
    #expect(lab.cluster(of: Lab.contact).members.count == members)
    #expect(counts[.voter, default: 0] == voters)
    #expect(counts[.standby, default: 0] == standbys)
    #expect(counts[.spare, default: 0] == spares)
  }

  @Test("the founder stays the only voter of a two-node cluster, the joiner is a spare")
  func twoNodes() {
    let lab = Lab.cluster(controlPlanes: 2)
    #expect(lab.members() == ["192.168.1.10:19001 voter", "192.168.1.11:19001 spare"])
  }

  @Test("workers never become datastore members")
  func workersAreNotMembers() {
    let lab = Lab.cluster(controlPlanes: 3, workers: 2)
    #expect(lab.cluster(of: Lab.contact).members.count == 3)
    #expect(lab.cluster(of: Lab.contact).nodes.count == 5)
  }

  @Test("removing one of three voters leaves one voter and one spare")
  func threeToTwo() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.run(Lab.address(3), "leave").exitCode == 0)
    #expect(lab.members() == ["192.168.1.10:19001 voter", "192.168.1.11:19001 spare"])
  }

  @Test("a voter leaving four members promotes the standby")
  func standbyPromoted() {
    let lab = Lab.cluster(controlPlanes: 4)
    #expect(lab.members().last == "192.168.1.13:19001 standby")
    #expect(lab.run(Lab.address(2), "leave").exitCode == 0)
    #expect(
      lab.members() == [
        "192.168.1.10:19001 voter", "192.168.1.12:19001 voter", "192.168.1.13:19001 voter",
      ]
    )
  }

  @Test("a voter going down is replaced by an online standby and demoted")
  func offlineVoterReplaced() {
    let lab = Lab.cluster(controlPlanes: 5)
    #expect(lab.apply(.down, to: Lab.address(2)))
    #expect(
      lab.members() == [
        "192.168.1.10:19001 voter", "192.168.1.11:19001 spare", "192.168.1.12:19001 voter",
        "192.168.1.13:19001 voter", "192.168.1.14:19001 standby",
      ]
    )
    #expect(lab.apply(.up, to: Lab.address(2)))
    #expect(lab.members()[1] == "192.168.1.11:19001 standby")
  }

  @Test("one voter down of three changes nothing: there is no candidate")
  func noCandidate() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(lab.roleCounts()[.voter] == 3)
    #expect(lab.world.hasQuorum(lab.cluster(of: Lab.contact)))
  }

  @Test("without a majority of voters there is no leader and no change")
  func noQuorumNoChange() {
    let lab = Lab.cluster(controlPlanes: 4)
    #expect(lab.apply(.down, to: Lab.address(2)))
    let before = lab.members()
    #expect(lab.apply(.down, to: Lab.address(1)))
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(!lab.world.hasQuorum(lab.cluster(of: Lab.address(4))))
    #expect(lab.members(of: Lab.address(4)) == before)
  }

  @Test("the leader demotes surplus online voters, latest first")
  func surplusVoters() {
    let members = (1...5).map {
      DatastoreMember(address: "10.0.0.\($0):19001", host: "10.0.0.\($0)", role: .voter)
    }
    let result = DatastoreLeader.rebalance(members) { _ in true }
    #expect(result.map(\.role) == [.voter, .voter, .voter, .standby, .standby])
  }

  @Test("a lone member keeps whatever role it has")
  func loneSpare() {
    let member = DatastoreMember(address: "10.0.0.1:19001", host: "10.0.0.1", role: .spare)
    #expect(DatastoreLeader.rebalance([member]) { _ in true } == [member])
  }
}
