/// After each run: which members of the file's cluster at the run's start are members no
/// more, and whether the file allowed each removal (README: a member is removed only when
/// the file says `state: absent`, or when `prune: true` is set, the file lists it neither
/// by name nor by address, and the removal fits within `maxRemovals`).
struct RemovalCheck {
  var start: Snapshot
  var end: Snapshot
  var file: TopologyRecipe
  var cluster: Int?
  var run: Int

  /// The violations, and the hosts that left for a role change the file asks for, which
  /// must be members again by the end of the seed.
  func check() -> (violations: [Violation], roleChanges: [String]) {
    guard let cluster else { return ([], []) }
    var violations: [Violation] = []
    var roleChanges: [String] = []
    var removed: [String] = []
    var ghosts = 0
    for host in start.memberHosts(cluster) where end.membership(host.address) != cluster {
      let name = host.nodeName
      let role = start.role(host.address) ?? .mixed
      let listed = file.node(named: name)
      let atAddress = file.node(at: host.address)
      let wasGhost = start.ghosts(cluster).contains { $0.host == host.address }
      if listed?.absent == true {
        removed.append(name)
      } else if file.cleanupGhosts && wasGhost {
        // A datastore entry with no Node: cleanupGhosts lets mktopo remove it (DESIGN
        // section 4, step 4), even at a listed address, so the node can join again.
        ghosts += 1
      } else if let listed, listed.role != role {
        roleChanges.append(host.address)
      } else if file.prune && listed == nil && atAddress == nil {
        removed.append(name)
      } else {
        var why: String
        if let listed {
          why = "the file lists it as a present \(listed.role.rawValue) node"
        } else if let atAddress {
          why =
            "the file lists its address under the name \(atAddress.name)"
            + (atAddress.absent ? " (absent: but removal goes by name)" : "")
        } else {
          why = "the file does not list it and prune is false"
        }
        violations.append(
          Violation(
            .accidentalRemoval,
            "\(name) (\(host.address), \(role.rawValue)) was a member of the file's "
              + "\(start.describeCluster(cluster)) when the run began and is now "
              + "\(end.whereabouts(host.address)); \(why)",
            run: run
          )
        )
      }
    }
    let limit = file.maxRemovals.limit
    if file.certainlyValid && removed.count > limit {
      violations.append(
        Violation(
          .accidentalRemoval,
          "one run removed \(removed.count) members (\(removed.joined(separator: ", "))) "
            + "with maxRemovals: \(limit)"
            + (ghosts > 0 ? " (and cleaned up \(ghosts) ghosts besides)" : ""),
          run: run
        )
      )
    }
    return (violations, roleChanges)
  }
}
