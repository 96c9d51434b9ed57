import MembershipCore
import Testing

@Suite("Matching the topology to the observed cluster")
struct MembershipTests {
  private func address(_ text: String) -> NodeAddress {
    NodeAddress.parse(text) ?? .ipv4(0)
  }

  private func topology(_ nodes: [(String, String, Role)]) -> Topology {
    let track = Track(major: 1, minor: 28)
    return Topology(
      cluster: ClusterSpec(name: "homelab", version: track),
      nodes: nodes.map {
        NodeSpec(name: $0.0, address: NodeAddress.parse($0.1), role: $0.2, version: track)
      }
    )
  }

  private func node(_ name: String, _ ip: String, _ role: Role = .mixed) -> ObservedNode {
    ObservedNode(
      name: name,
      internalIP: address(ip),
      role: role,
      ready: true,
      kubeletVersion: "v1.28.3"
    )
  }

  @Test("matches by name and declared address, with the datastore role by IP")
  func members() {
    let desired = topology([
      ("node1", "10.0.0.1", .mixed), ("node2", "10.0.0.2", .mixed), ("w1", "10.0.0.9", .worker),
    ])
    let observed = ObservedCluster(
      contact: "node1",
      nodes: [
        node("node1", "10.0.0.1"), node("node2", "10.0.0.2"), node("w1", "10.0.0.9", .worker),
      ],
      datastore: [
        DatastoreMember(address: address("10.0.0.1"), role: .voter),
        DatastoreMember(address: address("10.0.0.2"), role: .spare),
      ]
    )
    let membership = Membership.match(desired, observed)
    #expect(
      membership.listed.map(\.status) == [
        .member(node("node1", "10.0.0.1"), datastoreRole: .voter),
        .member(node("node2", "10.0.0.2"), datastoreRole: .spare),
        .member(node("w1", "10.0.0.9", .worker), datastoreRole: nil),
      ]
    )
    #expect(membership.unlisted.isEmpty)
    #expect(membership.ghosts.isEmpty)
  }

  @Test("an InternalIP that differs from the declared address is a mismatch, not a match")
  func mismatch() {
    let desired = topology([("node1", "10.0.0.1", .mixed)])
    let observed = ObservedCluster(
      contact: "node1",
      nodes: [node("node1", "172.17.0.1")],
      datastore: [DatastoreMember(address: address("10.0.0.1"), role: .voter)]
    )
    let membership = Membership.match(desired, observed)
    // The datastore entry carries the declared (join) address: it is this node's, not a ghost.
    #expect(
      membership.listed[0].status
        == .addressMismatch(node("node1", "172.17.0.1"), datastoreRole: .voter)
    )
    #expect(membership.ghosts.isEmpty)
  }

  @Test("non-members are probed, unreachable, or not observed; never absent")
  func nonMembers() {
    let desired = topology([
      ("node1", "10.0.0.1", .mixed), ("node2", "10.0.0.2", .mixed), ("node3", "10.0.0.3", .mixed),
      ("node4", "10.0.0.4", .mixed),
    ])
    let observed = ObservedCluster(
      contact: "node1",
      nodes: [node("node1", "10.0.0.1")],
      datastore: [DatastoreMember(address: address("10.0.0.1"), role: .voter)],
      probes: [NodeProbe(name: "node2", finding: .standalone(track: Track(major: 1, minor: 28)))],
      unreachable: ["node3"]
    )
    let statuses = Membership.match(desired, observed).listed.map(\.status)
    #expect(statuses[1] == .probed(.standalone(track: Track(major: 1, minor: 28))))
    #expect(statuses[2] == .unreachable)
    #expect(statuses[3] == .notObserved)
  }

  @Test("members the file does not list, and datastore members of no node (ghosts)")
  func unlistedAndGhosts() {
    let desired = topology([("node1", "10.0.0.1", .mixed)])
    let observed = ObservedCluster(
      contact: "node1",
      nodes: [node("node1", "10.0.0.1"), node("zeta", "10.0.0.7"), node("alpha", "10.0.0.8")],
      datastore: [
        DatastoreMember(address: address("10.0.0.1"), role: .voter),
        DatastoreMember(address: address("10.0.0.7"), role: .voter),
        DatastoreMember(address: address("10.0.0.5"), role: .voter),
      ]
    )
    let membership = Membership.match(desired, observed)
    #expect(membership.unlisted.map(\.name) == ["alpha", "zeta"])
    #expect(membership.ghosts == [DatastoreMember(address: address("10.0.0.5"), role: .voter)])
  }

  @Test("a brand-new world has no members")
  func noMembers() {
    let observed = ObservedCluster(
      probes: [NodeProbe(name: "node1", finding: .standalone(track: Track(major: 1, minor: 28)))])
    #expect(!observed.hasMembers)
    #expect(
      Membership.match(topology([("node1", "10.0.0.1", .mixed)]), observed).listed[0].status
        == .probed(.standalone(track: Track(major: 1, minor: 28)))
    )
  }
}
