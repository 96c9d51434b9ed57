extension DatastoreModel {
  /// Why removing a control-plane member would be unsafe, said so a person can act on it.
  public enum RemovalProblem: Sendable, Hashable, CustomStringConvertible {
    /// The member is the only voter and others exist: `microk8s leave` refuses with
    /// exit 3 (microk8s-contract.md section 4).
    case onlyVoterWithOthers
    /// The member is the last control-plane node; leaving would re-initialise an empty
    /// datastore (microk8s-contract.md section 11, pitfall 19).
    case lastMember
    /// The live voters would not be a strict majority, during or after the removal, or
    /// already are not (then nothing can be removed and the counts are the current
    /// ones): the datastore freezes (microk8s-contract.md section 9).
    case quorumLost(liveVotersAfter: Int, votersAfter: Int)
    /// Exactly two voters, this one among them: the window after a shrink from three,
    /// before the leader demotes one at its next role adjustment (go-dqlite
    /// `app/app.go`, every 30 s). Leaving either would leave 1 of 2 (microk8s-contract.md
    /// section 9).
    case twoVoters
    /// No datastore member has this address.
    case notAMember

    public var description: String {
      switch self {
      case .onlyVoterWithOthers:
        return "it holds the only datastore voter while other control-plane nodes exist, so "
          + "'microk8s leave' refuses (exit 3); add mixed nodes until there are 3 so the "
          + "datastore has 3 voters, or remove the other control-plane nodes first"
      case .lastMember:
        return "it is the last control-plane node, and leaving would replace the cluster's "
          + "datastore with an empty one; add another mixed node first if this one must go"
      case .quorumLost(let live, let voters) where voters == 0:
        return "the datastore would have no voter (\(live) live), so it could not accept "
          + "writes; restore quorum first (MicroK8s's 'restore quorum' procedure)"
      case .quorumLost(let live, let voters):
        return "only \(live) of \(voters) datastore voters would be live, short of the "
          + "majority of \(voters / 2 + 1) the datastore needs to accept writes; bring the "
          + "unreachable voters back, or remove them first while a majority is live, before "
          + "removing another member"
      case .twoVoters:
        return "the datastore has exactly two voters (after a shrink, its leader demotes one "
          + "only at its next role adjustment, every 30 s), and removing either leaves 1 of "
          + "2, short of the majority the datastore needs, so it would freeze; wait for the "
          + "adjustment (about 30 s) and plan again"
      case .notAMember:
        return "it is not a datastore member, so no control-plane removal applies"
      }
    }
  }

  /// True when a strict majority of the voters is live; no voters means no quorum.
  ///
  /// Raft commits an entry, including a membership change, only with a majority of the
  /// voters, so without one the datastore freezes (microk8s-contract.md section 9).
  public static func hasQuorum(voters: [NodeAddress], live: Set<NodeAddress>) -> Bool {
    !voters.isEmpty && 2 * liveCount(voters, live) > voters.count
  }

  /// What would make removing this member unsafe, or nil when it is safe.
  ///
  /// A removal is a raft configuration change, so it must hold at three moments:
  /// 1. before: the current voters need a live majority to elect the leader that runs
  ///    the change (`remove-node` cannot help a frozen datastore; section 9);
  /// 2. during, for a voter: `leave` stops the node's k8s-dqlite and sleeps 10 s before
  ///    asking another member to `.remove` it (upstream `scripts/wrappers/leave.py`,
  ///    `reset_current_dqlite_installation`), so the change must commit under the
  ///    *current* voters with this one already silent: the others that are live must be
  ///    a strict majority of all current voters. Two voters (the window after a shrink
  ///    from three, before the leader's next role adjustment) never allow it; nor does
  ///    any dead voter beside the one leaving in a set of three (section 11, pitfall 10);
  /// 3. after: the voters of the rebalanced members (`removed(_:address:)`) need a live
  ///    majority.
  ///
  /// So a dead voter may be removed (`remove-node --force`, the way a dead node is
  /// cleaned up) while the live voters left are a majority of the current voter set.
  /// Checked in this order: not a member, last member, quorum before, only voter,
  /// quorum during and after; an only voter that is dead therefore reports the lost
  /// quorum, the thing to fix first.
  public static func removalProblem(
    of address: NodeAddress,
    from members: [DatastoreMember],
    live: Set<NodeAddress>
  ) -> RemovalProblem? {
    removalProblem(
      of: address,
      role: members.first(where: { $0.address == address })?.role,
      hasOthers: members.contains(where: { $0.address != address }),
      voters: voters(in: members),
      votersAfter: { voters(in: removed(members, address: address)) },
      live: live
    )
  }

  /// `removalProblem(of:from:live:)` from what it needs to know of the members: the
  /// member's role (nil when it is none), whether another member exists, the voters
  /// now, and (asked only when the other checks pass) the voters after the removal.
  static func removalProblem(
    of address: NodeAddress,
    role: DatastoreRole?,
    hasOthers: Bool,
    voters before: [NodeAddress],
    votersAfter: () -> [NodeAddress],
    live: Set<NodeAddress>
  ) -> RemovalProblem? {
    guard let role else { return .notAMember }
    guard hasOthers else { return .lastMember }
    guard hasQuorum(voters: before, live: live) else { return lost(before, live) }
    if role == .voter {
      let others = before.filter { $0 != address }
      guard !others.isEmpty else { return .onlyVoterWithOthers }
      let liveOthers = liveCount(others, live)
      guard 2 * liveOthers > before.count else {
        if before.count == 2 && liveOthers == 1 { return .twoVoters }
        return .quorumLost(liveVotersAfter: liveOthers, votersAfter: before.count)
      }
    }
    let after = votersAfter()
    guard hasQuorum(voters: after, live: live) else { return lost(after, live) }
    return nil
  }

  private static func lost(_ voters: [NodeAddress], _ live: Set<NodeAddress>) -> RemovalProblem {
    .quorumLost(liveVotersAfter: liveCount(voters, live), votersAfter: voters.count)
  }

  private static func liveCount(_ voters: [NodeAddress], _ live: Set<NodeAddress>) -> Int {
    voters.reduce(0) { $0 + (live.contains($1) ? 1 : 0) }
  }
}
