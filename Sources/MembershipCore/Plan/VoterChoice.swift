/// Which voter stays when a datastore shrinks to one voter is the raft leader's choice.
///
/// With two control-plane nodes only the leader votes (go-dqlite `app/roles.go`: fewer
/// than 3 nodes, the leader demotes every other voter), and the leader is whichever
/// voter won the last election, which no observation shows. `DatastoreModel` keeps the
/// first voter in member order so that plans are deterministic; this marks the changes
/// whose single voter afterwards is such a guess, naming every member that could hold
/// the vote, so a plan never names a survivor it cannot know.
enum VoterChoice {
  /// Sets `voterOneOf` on each change that leaves one voter chosen by the leader from
  /// several, and on the changes after it while the voter set stays that guess.
  ///
  /// `observedVoters` are the voters before the first change, as observed (two in the
  /// window after a shrink from three).
  ///
  /// A change that takes out a member that may hold the vote by then says so in its
  /// reason: MicroK8s refuses to let the only voter leave while others remain.
  static func mark(_ changes: inout [Change], observedVoters: [NodeAddress]) {
    var previous = observedVoters
    // Two voters observed: the leader has yet to demote one, and which is its choice.
    var candidates: [NodeAddress] = observedVoters.count == 2 ? observedVoters : []
    for index in changes.indices {
      let change = changes[index]
      let after = change.votersAfter
      let gone = change.leavesDatastore ? change.address : nil
      if let gone, candidates.count > 1, candidates.contains(gone) {
        changes[index].reason +=
          (change.reason.isEmpty ? "" : "; ")
          + "if it holds the vote once the dqlite leader has settled the roles, MicroK8s "
          + "refuses its leave (the only copy of the datastore) and apply stops there"
      }
      if after.count == 1, previous.count >= 2 {
        candidates = previous.filter { $0 != gone }
      } else if after == previous {
        candidates.removeAll { $0 == gone }
      } else {
        candidates = []
      }
      if candidates.count > 1 { changes[index].voterOneOf = candidates }
      previous = after
    }
  }
}

extension Change {
  /// Whether the node's datastore entry goes with this change (removals, ghosts, and a
  /// mixed node that becomes a worker).
  var leavesDatastore: Bool {
    switch action {
    case .remove, .cleanupGhost: true
    case .changeRole: role == .worker
    case .join, .install, .upgrade: false
    }
  }
}
