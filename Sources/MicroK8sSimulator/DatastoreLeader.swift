/// The role adjustment the dqlite leader runs (go-dqlite `app/roles.go`, contract §9).
///
/// With fewer than 3 members only the leader votes and it demotes every other voter to
/// spare; from 3 on, the target is 3 voters and 3 standbys, the rest spares. Promotions
/// go to online members only, and offline voters and standbys are demoted once enough
/// online members hold the role. Without a majority of voters online there is no leader
/// and nothing changes.
///
/// Where go-dqlite weighs failure domains and weights to pick a candidate, this picks by
/// member order: the earliest joined is promoted first, the latest demoted first.
public enum DatastoreLeader {
  static let voters = 3
  static let standbys = 3

  /// The members with their roles adjusted until the leader would change nothing more.
  ///
  /// `leader` is the host of the member that won the last election, when it is still an
  /// online voter; otherwise the first online voter leads. With fewer than 3 members the
  /// leader is the one voter that stays (go-dqlite `app/roles.go`, `Adjust`).
  public static func rebalance(
    _ members: [DatastoreMember],
    leader: String? = nil,
    isOnline: (DatastoreMember) -> Bool
  ) -> [DatastoreMember] {
    var members = members
    for _ in 0...(2 * members.count + 2) {
      guard let change = nextChange(members, leader: leader, isOnline: isOnline) else { break }
      members[change.index].role = change.role
    }
    return members
  }

  /// The roles after a control-plane joiner's own first step.
  ///
  /// From 3 members on, it takes the voter role while fewer than 3 voters are online, else the standby role
  /// while fewer than 3 standbys are; becoming the second voter, it promotes one more
  /// member, so a third node makes a cluster of 3 voters at once (go-dqlite
  /// `app/app.go`, `maybePromoteOurselves`; `app/roles.go`, `Assume`). Everything else
  /// waits for the leader's next adjustment.
  public static func assume(
    _ members: [DatastoreMember],
    joiner: Int,
    isOnline: (DatastoreMember) -> Bool
  ) -> [DatastoreMember] {
    guard members.count >= voters, members.indices.contains(joiner),
      members[joiner].role == .spare, hasQuorum(members, isOnline: isOnline)
    else { return members }
    let onlineVoters = members.filter { $0.role == .voter && isOnline($0) }.count
    let onlineStandbys = members.filter { $0.role == .standby && isOnline($0) }.count
    var result = members
    if onlineVoters < voters {
      result[joiner].role = .voter
      // go-dqlite tries the others in map order; the first online one here.
      if onlineVoters == 1,
        let other = result.indices.first(where: {
          $0 != joiner && result[$0].role != .voter && isOnline(result[$0])
        })
      {
        result[other].role = .voter
      }
    } else if onlineStandbys < standbys {
      result[joiner].role = .standby
    }
    return result
  }

  /// Whether a majority of the voters is online, so a leader can be elected.
  public static func hasQuorum(
    _ members: [DatastoreMember],
    isOnline: (DatastoreMember) -> Bool
  ) -> Bool {
    let voters = members.filter { $0.role == .voter }
    return voters.filter(isOnline).count * 2 > voters.count
  }

  private static func nextChange(
    _ members: [DatastoreMember],
    leader leaderHost: String?,
    isOnline: (DatastoreMember) -> Bool
  ) -> (index: Int, role: DatastoreMember.Role)? {
    let elected = members.firstIndex {
      $0.host == leaderHost && $0.role == .voter && isOnline($0)
    }
    guard members.count > 1, hasQuorum(members, isOnline: isOnline),
      let leader = elected ?? members.firstIndex(where: { $0.role == .voter && isOnline($0) })
    else { return nil }
    func indices(_ role: DatastoreMember.Role, online: Bool) -> [Int] {
      members.indices.filter { members[$0].role == role && isOnline(members[$0]) == online }
    }
    if members.count < voters {
      // Too small for HA: the leader stays the only voter (contract §9).
      return indices(.voter, online: true).last { $0 != leader }
        .map { ($0, .spare) } ?? indices(.voter, online: false).last.map { ($0, .spare) }
    }
    let onlineVoters = indices(.voter, online: true)
    if onlineVoters.count < voters {
      let candidates = indices(.standby, online: true) + indices(.spare, online: true)
      return candidates.first.map { ($0, .voter) }
    }
    if onlineVoters.count > voters {
      return onlineVoters.last { $0 != leader }.map { ($0, .spare) }
    }
    if let offline = indices(.voter, online: false).last { return (offline, .spare) }
    let onlineStandbys = indices(.standby, online: true)
    if onlineStandbys.count < standbys {
      return indices(.spare, online: true).first.map { ($0, .standby) }
    }
    if onlineStandbys.count > standbys {
      return onlineStandbys.last.map { ($0, .spare) }
    }
    return indices(.standby, online: false).last.map { ($0, .spare) }
  }
}
