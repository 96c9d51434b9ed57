import Testing

@testable import MembershipCore

/// Members from roles written one character per member, in list order.
///
/// `v` is a voter, `s` a standby, `.` a spare; member `i` has address `10.0.0.(i + 1)`.
private func members(_ roles: String) -> [DatastoreMember] {
  roles.enumerated().map { index, character in
    let role: DatastoreRole =
      switch character {
      case "v": .voter
      case "s": .standby
      default: .spare
      }
    return DatastoreMember(address: address(index), role: role)
  }
}

private func roles(_ members: [DatastoreMember]) -> String {
  String(
    members.map { member -> Character in
      switch member.role {
      case .voter: "v"
      case .standby: "s"
      case .spare: "."
      }
    }
  )
}

private func address(_ index: Int) -> NodeAddress { .ipv4(0x0A00_0001 + UInt32(index)) }

private func counts(_ members: [DatastoreMember]) -> [Int] {
  let counts = DatastoreModel.roleCounts(members)
  return [counts.voters, counts.standbys, counts.spares]
}

private func target(_ count: Int) -> [Int] {
  let target = DatastoreModel.targetRoles(controlPlaneCount: count)
  return [target.voters, target.standbys, target.spares]
}

@Suite("Datastore model: dqlite roles and quorum")
struct DatastoreModelTests {
  @Test(
    "target roles follow go-dqlite: 1 voter below 3 nodes, then 3 voters, 3 standbys, spares",
    arguments: [
      (-1, [0, 0, 0]), (0, [0, 0, 0]), (1, [1, 0, 0]), (2, [1, 0, 1]), (3, [3, 0, 0]),
      (4, [3, 1, 0]), (5, [3, 2, 0]), (6, [3, 3, 0]), (7, [3, 3, 1]), (10, [3, 3, 4]),
    ]
  )
  func targetRoles(count: Int, expected: [Int]) {
    #expect(target(count) == expected)
  }

  @Test("joining one node at a time from 1 to 7 gives the roles of contract section 9")
  func joinsOneAtATime() {
    var cluster: [DatastoreMember] = []
    let expected = ["v", "v.", "vvv", "vvvs", "vvvss", "vvvsss", "vvvsss."]
    for (index, expectedRoles) in expected.enumerated() {
      cluster = DatastoreModel.joined(cluster, address: address(index))
      #expect(roles(cluster) == expectedRoles, "after \(index + 1) joins")
      #expect(cluster.map(\.address) == (0...index).map(address))
    }
  }

  @Test("joining an address that is already a member does not add it twice")
  func joiningAMemberAgain() {
    let cluster = DatastoreModel.joined(members("vvv"), address: address(1))
    #expect(roles(cluster) == "vvv")
  }

  @Test("removing one of three voters leaves 1 voter and 1 spare (no HA)")
  func removingOneOfThree() {
    let withoutLast = DatastoreModel.removed(members("vvv"), address: address(2))
    #expect(roles(withoutLast) == "v.")
    let withoutFirst = DatastoreModel.removed(members("vvv"), address: address(0))
    #expect(withoutFirst.map(\.address) == [address(1), address(2)])
    #expect(roles(withoutFirst) == "v.")
  }

  @Test("removing a voter from four promotes the standby")
  func removingAVoterPromotesTheStandby() {
    let cluster = DatastoreModel.removed(members("vvvs"), address: address(1))
    #expect(cluster.map(\.address) == [address(0), address(2), address(3)])
    #expect(roles(cluster) == "vvv")
    #expect(DatastoreModel.voters(in: cluster) == [address(0), address(2), address(3)])
  }

  @Test("removing an address that is not a member only rebalances")
  func removingANonMember() {
    #expect(roles(DatastoreModel.removed(members("vvv."), address: address(9))) == "vvvs")
  }

  @Test(
    "rebalance keeps voters, then promotes standbys and spares in list order",
    arguments: [
      ("", ""), (".", "v"), ("s", "v"), ("vv", "v."), (".v", ".v"), ("s.", "v."),
      ("ss", "v."), ("...", "vvv"), ("v..", "vvv"), ("..v", "vvv"), ("vvvv", "vvvs"),
      ("vvv.", "vvvs"), (".v.v", "vvsv"), ("...s...", "vvsvss."), ("sssssss", "vvvsss."),
      ("vvvvvvvv", "vvvsss.."), ("vvv....s", "vvvss..s"), ("vvvssss", "vvvsss."),
    ]
  )
  func rebalance(input: String, expected: String) {
    let result = DatastoreModel.rebalance(members(input))
    #expect(roles(result) == expected)
    #expect(result.map(\.address) == members(input).map(\.address))
  }

  @Test(
    "quorum is a strict majority of live voters",
    arguments: [
      (0, 0, false), (1, 1, true), (1, 0, false), (2, 2, true), (2, 1, false), (3, 3, true),
      (3, 2, true), (3, 1, false), (4, 3, true), (4, 2, false), (5, 3, true), (5, 2, false),
    ]
  )
  func quorum(voters: Int, live: Int, expected: Bool) {
    let voters = (0..<voters).map(address)
    let live = Set(voters.prefix(live))
    #expect(DatastoreModel.hasQuorum(voters: voters, live: live) == expected)
  }

  @Test(
    "removal safety",
    arguments: [
      // Healthy clusters: anything but the only voter or the last member may go.
      ("v", [], 0, .lastMember),
      ("v.", [], 0, .onlyVoterWithOthers),
      ("v.", [], 1, nil),
      ("vvv", [], 0, nil),
      ("vvvs", [], 1, nil),
      ("vvvsss.", [], 6, nil),
      // A dead voter is cleaned up while the live voters left are a majority.
      ("vvv", [0], 0, nil),
      ("vvvs", [2], 2, nil),
      ("vvvs", [2], 3, nil),
      ("vvvsss.", [0], 6, nil),
      // Two of three voters dead: the datastore is frozen, nothing can be removed.
      ("vvv", [0, 1], 0, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      ("vvv", [0, 1], 2, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      ("vvvs", [0, 1], 3, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      // A live voter cannot go while another voter is dead: it stops its datastore
      // before its entry is removed, so 1 of the 3 current voters would be live.
      ("vvv", [2], 0, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      ("vvvs", [2, 3], 0, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      // The window after a shrink from three: two voters, neither may leave, though
      // both answer; a spare may.
      ("vv", [], 0, .twoVoters),
      ("vv", [], 1, .twoVoters),
      ("vv.", [], 1, .twoVoters),
      ("vv.", [], 2, nil),
      ("vvs", [], 0, .twoVoters),
      // After the removal, a dead standby is promoted, but 2 of the 3 voters are live.
      ("vvvs", [3], 0, nil),
      ("vvvss", [3, 4], 0, nil),
      // A transient 5-voter cluster keeps its first 3 voters: here 2 of them are dead.
      ("vvvvvs", [1, 2], 5, .quorumLost(liveVotersAfter: 1, votersAfter: 3)),
      // The only voter is dead: the quorum is the thing to fix.
      ("v.", [0], 0, .quorumLost(liveVotersAfter: 0, votersAfter: 1)),
      ("v.", [0], 1, .quorumLost(liveVotersAfter: 0, votersAfter: 1)),
      ("..", [], 0, .quorumLost(liveVotersAfter: 0, votersAfter: 0)),
      ("vvv", [], 9, .notAMember),
    ] as [(String, [Int], Int, DatastoreModel.RemovalProblem?)]
  )
  func removalSafety(
    cluster roles: String,
    dead: [Int],
    remove: Int,
    expected: DatastoreModel.RemovalProblem?
  ) {
    let cluster = members(roles)
    let live = Set(cluster.indices.filter { !dead.contains($0) }.map(address))
    let problem = DatastoreModel.removalProblem(of: address(remove), from: cluster, live: live)
    #expect(problem == expected)
  }

  @Test("each removal problem says what to do first")
  func removalProblemDescriptions() {
    let onlyVoter = DatastoreModel.RemovalProblem.onlyVoterWithOthers.description
    #expect(onlyVoter.contains("3 voters") && onlyVoter.contains("exit 3"))
    let last = DatastoreModel.RemovalProblem.lastMember.description
    #expect(last.contains("add another mixed node first"))
    let lost = DatastoreModel.RemovalProblem.quorumLost(liveVotersAfter: 1, votersAfter: 3)
    #expect(lost.description.contains("only 1 of 3 datastore voters"))
    #expect(lost.description.contains("majority of 2"))
    #expect(lost.description.contains("bring the unreachable voters back"))
    let none = DatastoreModel.RemovalProblem.quorumLost(liveVotersAfter: 0, votersAfter: 0)
    #expect(none.description.contains("restore quorum"))
    #expect(!DatastoreModel.RemovalProblem.notAMember.description.isEmpty)
    let two = DatastoreModel.RemovalProblem.twoVoters.description
    #expect(two.contains("exactly two voters") && two.contains("wait for the adjustment"))
  }

  @Test(
    "rebalance is idempotent, keeps order and reaches the target counts",
    arguments: [1, 7, 42]
  )
  func rebalanceProperties(seed: UInt64) {
    var random = DatastoreSplitMix(seed: seed)
    for _ in 0..<1000 {
      let letters: [Character] = ["v", "s", "."]
      let roles = String((0..<Int(random.next() % 11)).map { _ in letters[Int(random.next() % 3)] })
      let input = members(roles)
      let once = DatastoreModel.rebalance(input)
      #expect(DatastoreModel.rebalance(once) == once, "seed \(seed), roles '\(roles)'")
      #expect(once.map(\.address) == input.map(\.address), "seed \(seed), roles '\(roles)'")
      #expect(counts(once) == target(input.count), "seed \(seed), roles '\(roles)'")
    }
  }

  @Test(
    "random joins and removals keep the target roles and never accept a lost majority",
    arguments: [1, 2, 3, 0xDEAD_BEEF] as [UInt64]
  )
  func randomSequences(seed: UInt64) {
    var random = DatastoreSplitMix(seed: seed)
    var accepted = 0
    var refused = 0
    for sequence in 0..<750 {
      var cluster: [DatastoreMember] = []
      var nextAddress = 0
      for step in 0..<24 {
        let context = "seed \(seed), sequence \(sequence), step \(step), roles '\(roles(cluster))'"
        if cluster.isEmpty || random.next() % 5 < 2 {
          cluster = DatastoreModel.joined(cluster, address: address(nextAddress))
          nextAddress += 1
        } else {
          let leaving = cluster[Int(random.next() % UInt64(cluster.count))].address
          // Mostly healthy clusters, so removals often go through; sometimes many dead.
          let deadChance: UInt64 = random.next() % 3 == 0 ? 50 : 10
          let live = Set(cluster.map(\.address).filter { _ in random.next() % 100 >= deadChance })
          let problem = DatastoreModel.removalProblem(of: leaving, from: cluster, live: live)
          let safe = staysAvailable(cluster, removing: leaving, live: live)
          #expect((problem == nil) == safe, "\(context), problem \(String(describing: problem))")
          if problem == nil {
            cluster = DatastoreModel.removed(cluster, address: leaving)
            accepted += 1
          } else {
            refused += 1
          }
        }
        #expect(counts(cluster) == target(cluster.count), "\(context)")
      }
    }
    #expect(
      accepted > 1000 && refused > 1000,
      "seed \(seed): \(accepted) accepted, \(refused) refused"
    )
  }
}

/// The safety rule restated by counting, independently of `DatastoreModel`'s own code:
/// another member stays; a live majority of voters before, of the voters left without
/// the leaving one (the configuration raft commits the change under), and of the voters
/// once the leader has rebalanced.
private func staysAvailable(
  _ cluster: [DatastoreMember],
  removing leaving: NodeAddress,
  live: Set<NodeAddress>
) -> Bool {
  func majority(_ voters: [DatastoreMember]) -> Bool {
    2 * voters.filter { live.contains($0.address) }.count > voters.count
  }
  let remaining = cluster.filter { $0.address != leaving }
  guard !remaining.isEmpty else { return false }
  let voters = cluster.filter { $0.role == .voter }
  let votersLeft = voters.filter { $0.address != leaving }
  let after = DatastoreModel.removed(cluster, address: leaving).filter { $0.role == .voter }
  return majority(voters) && majority(votersLeft) && majority(after)
}

/// A small seeded generator, so a failing sequence replays from the seed in its message.
struct DatastoreSplitMix: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
