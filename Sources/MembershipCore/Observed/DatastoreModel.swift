/// The roles go-dqlite converges to as control-plane nodes join and leave.
///
/// The planner replays each step on this model to name the voter set after it and to
/// check quorum (DESIGN.md section 4). It predicts role *counts* exactly
/// (microk8s-contract.md section 9); which member holds which role is a deterministic
/// approximation, because the real leader also weighs health, failure domains and
/// weights, which an observation pass does not see.
///
/// Members are identified by address alone: dqlite identity is `IP:port`, and every
/// MicroK8s node listens on port 19001 (microk8s-contract.md section 9).
public enum DatastoreModel {
  /// How many members hold, or should hold, each role.
  public typealias RoleCounts = (voters: Int, standbys: Int, spares: Int)

  /// The voter, standby and spare counts go-dqlite aims for with `n` control-plane nodes.
  ///
  /// One node is the only voter; with two, only the leader votes and the other is a
  /// spare (no HA); from three on, 3 voters, up to 3 standbys, the rest spares
  /// (microk8s-contract.md section 9). Counts below zero are treated as zero.
  public static func targetRoles(controlPlaneCount n: Int) -> RoleCounts {
    switch n {
    case ..<1: return (0, 0, 0)
    case 1: return (1, 0, 0)
    case 2: return (1, 0, 1)
    default: return (3, min(3, n - 3), max(0, n - 6))
    }
  }

  /// How many members hold each role.
  public static func roleCounts(_ members: [DatastoreMember]) -> RoleCounts {
    var counts: RoleCounts = (0, 0, 0)
    for member in members {
      switch member.role {
      case .voter: counts.voters += 1
      case .standby: counts.standbys += 1
      case .spare: counts.spares += 1
      }
    }
    return counts
  }

  /// The voters' addresses, in member order: the set a plan step names.
  public static func voters(in members: [DatastoreMember]) -> [NodeAddress] {
    members.filter { $0.role == .voter }.map(\.address)
  }

  /// The roles the leader converges to from these members and their current roles.
  ///
  /// The result keeps the input order, changes only roles, and has exactly the counts of
  /// `targetRoles(controlPlaneCount: members.count)`. Rules, chosen to disturb as few
  /// members as possible and to be deterministic:
  /// - fewer than 3 members: the first voter in the list stays the only voter (it stands
  ///   for the leader, which demotes every other member to spare; microk8s-contract.md
  ///   section 9); with no voter at all, the first member becomes it;
  /// - 3 or more: existing voters keep their role up to 3; when there are fewer, standbys
  ///   and then spares are promoted in list order; voters beyond 3 become standbys;
  /// - then standbys keep their role up to the standby target, spares are promoted in
  ///   list order to fill it, and standbys beyond it become spares.
  ///
  /// Wherever a role is over its target, the members latest in the list lose it first.
  /// Applying it twice gives the same result as once.
  public static func rebalance(_ members: [DatastoreMember]) -> [DatastoreMember] {
    guard !members.isEmpty else { return [] }
    var result = members
    guard members.count >= 3 else {
      let leader = members.firstIndex { $0.role == .voter } ?? members.startIndex
      for index in result.indices { result[index].role = index == leader ? .voter : .spare }
      return result
    }
    let target = targetRoles(controlPlaneCount: members.count)
    settle(&result, role: .voter, target: target.voters, demoteTo: .standby)
    settle(&result, role: .standby, target: target.standbys, demoteTo: .spare)
    return result
  }

  /// The members after a new control-plane node joins and the leader rebalances.
  ///
  /// A joiner enters as a spare at the end of the list; the leader promotes it when a
  /// voter or standby slot is free (microk8s-contract.md section 9, and section 11
  /// pitfall 1 for the roles settling within about 30 s). An address that is already a
  /// member is not added again: dqlite would refuse it as "already known" (section 11,
  /// pitfall 9).
  public static func joined(
    _ members: [DatastoreMember],
    address: NodeAddress
  ) -> [DatastoreMember] {
    guard !members.contains(where: { $0.address == address }) else { return rebalance(members) }
    return rebalance(members + [DatastoreMember(address: address, role: .spare)])
  }

  /// The members after the one with this address leaves and the leader rebalances.
  ///
  /// An address that is not a member changes nothing but the rebalance.
  public static func removed(
    _ members: [DatastoreMember],
    address: NodeAddress
  ) -> [DatastoreMember] {
    rebalance(members.filter { $0.address != address })
  }

  /// Brings the count of `role` to `target`: the first holders keep it, later ones are
  /// demoted, and members of the roles below are promoted in list order to fill gaps.
  private static func settle(
    _ members: inout [DatastoreMember],
    role: DatastoreRole,
    target: Int,
    demoteTo lower: DatastoreRole
  ) {
    var held = 0
    for index in members.indices where members[index].role == role {
      if held < target {
        held += 1
      } else {
        members[index].role = lower
      }
    }
    // Closest role first: a standby already holds the data, a spare holds none.
    let candidates: [DatastoreRole] = role == .voter ? [.standby, .spare] : [.spare]
    for candidate in candidates {
      for index in members.indices where held < target && members[index].role == candidate {
        members[index].role = role
        held += 1
      }
    }
  }
}
