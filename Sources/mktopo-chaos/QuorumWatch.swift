/// Checks each sample of a run for a formed cluster whose voters lost their majority.
///
/// Two readings, both blamed on mktopo only when the cluster had its majority when the
/// run began:
/// - even counting every host the harness took down or stopped as alive, fewer than a
///   majority of the voters are live (a voter is live while its host still uses the
///   datastore as a control-plane node): a member mktopo removed, wiped or re-joined;
/// - counting hosts as they are, the majority is gone although every host down or
///   stopped was so before the run began, so mktopo saw it and had to plan around it
///   (DESIGN section 4: no removal of a voter while another is not confirmed alive).
///
/// And between two samples: a voter taken out while exactly two voters existed (the
/// window after a shrink from three, before the dqlite leader's next role adjustment),
/// which only mktopo does in these runs.
struct QuorumWatch: Sendable {
  let start: Snapshot
  private var reported: Set<Int> = []
  private var previous: Snapshot?

  init(start: Snapshot) {
    self.start = start
    previous = start
  }

  mutating func observe(
    _ next: Snapshot,
    harnessTookHostsDown: Bool,
    run: Int
  ) -> [Violation] {
    var found = twoVoterRemovals(next, run: run)
    previous = next
    for cluster in next.world.clusters where next.isFormed(cluster.id) {
      let count = Self.count(cluster.id, in: next)
      guard count.voters > 0 else { continue }
      let before = Self.count(cluster.id, in: start)
      let voters = cluster.members.filter { $0.role == .voter }
        .map { next.describe($0, in: cluster.id) }.joined(separator: "; ")
      let name = next.describeCluster(cluster.id)
      var text: String?
      if count.alive * 2 <= count.voters && before.alive * 2 > before.voters {
        text =
          "\(name) has \(count.alive) of \(count.voters) voters left even counting hosts "
          + "the harness took down as live: \(voters)"
      } else if count.live * 2 <= count.voters && before.live * 2 > before.voters
        && !harnessTookHostsDown
      {
        text =
          "\(name) has \(count.live) of \(count.voters) voters live, and every host down "
          + "or stopped was so before the run began: \(voters)"
      }
      // Once per cluster and run: the state lasts, and the first sample is the evidence.
      if let text, reported.insert(cluster.id).inserted {
        found.append(Violation(.quorum, text, run: run))
      }
    }
    return found
  }

  /// Voters that left a datastore of exactly two voters since the previous sample.
  private func twoVoterRemovals(_ next: Snapshot, run: Int) -> [Violation] {
    guard let previous else { return [] }
    var found: [Violation] = []
    for cluster in previous.world.clusters {
      let voters = cluster.members.filter { $0.role == .voter }
      // A role adjustment that fell due between the samples may have made them three
      // before the removal: the samples cannot tell, so only a settled pair is judged.
      if let due = cluster.rebalanceAt, due <= next.time { continue }
      guard voters.count == 2, let after = next.cluster(cluster.id) else { continue }
      let remaining = Set(after.members.map(\.host))
      for voter in voters where !remaining.contains(voter.host) {
        found.append(
          Violation(
            .quorum,
            "\(previous.describeCluster(cluster.id)): voter \(previous.describe(voter, in: cluster.id)) "
              + "was taken out while only two voters existed",
            run: run
          )
        )
      }
    }
    return found
  }

  /// The voters of cluster `id`, those still using it (alive), and those also up and
  /// running (live).
  ///
  /// A cluster that did not exist yet counts as having its majority.
  static func count(_ id: Int, in snapshot: Snapshot) -> (voters: Int, alive: Int, live: Int) {
    guard let cluster = snapshot.cluster(id) else { return (1, 1, 1) }
    var result = (voters: 0, alive: 0, live: 0)
    for member in cluster.members where member.role == .voter {
      result.voters += 1
      guard let host = snapshot.host(member.host), host.cluster == id, host.mode != .worker
      else { continue }
      result.alive += 1
      if host.reachable && host.running { result.live += 1 }
    }
    return result
  }
}
