/// Whether a file can be made true of the world once every host is up and every fault
/// cleared.
///
/// Decided from the rules of DESIGN.md section 4 and the contract, never from mktopo's
/// planner. When in doubt it answers "infeasible" (with the doubt as the reason): an
/// infeasible file is only held to truthful success, never to converge.
struct FeasibilityOracle {
  var file: TopologyRecipe
  var snapshot: Snapshot
  /// The file's cluster, when one exists.
  var cluster: Int?
  /// The files the seed applied before this one, in order.
  var earlier: [TopologyRecipe] = []

  /// Nil when feasible, else why not (or why the oracle is unsure).
  func doubt() -> String? {
    if let oversized = file.oversized { return "\(oversized.key) holds \(oversized.value)" }
    for node in file.present {
      if let problem = presentDoubt(node) { return problem }
    }
    // A node marked absent that is in another cluster: the file spans two clusters, and
    // which one it means is the operator's to say (README, "Which cluster is the file's").
    for node in file.nodes where node.absent {
      guard let address = node.address, snapshot.host(address) != nil,
        !snapshot.isStandalone(address), snapshot.membership(address) != cluster
      else { continue }
      return "\(node.name), marked absent, is \(snapshot.whereabouts(address))"
    }
    guard let cluster else { return brandNewDoubt() }
    return clusterDoubt(cluster)
  }

  /// A present node can be a member only if its machine is there under the file's name,
  /// on the file's track, and is standalone or already in the file's cluster.
  private func presentDoubt(_ node: TopologyRecipe.Node) -> String? {
    guard let address = node.address, let host = snapshot.host(address) else {
      return "\(node.name): no machine at \(node.address ?? "no address")"
    }
    if host.nodeName != node.name { return "\(node.name): the machine is named \(host.nodeName)" }
    if !host.installed {
      // Installed on the file's track within the join (or before founding), if allowed.
      guard file.installs else { return "\(node.name) has no MicroK8s, and install is off" }
      guard file.track(of: node) == file.track else {
        return "\(node.name) would be installed on \(node.version ?? file.version), the file's "
          + "cluster runs \(file.version)"
      }
      return host.lowMemory && node.role == .mixed ? "\(node.name) is a small machine" : nil
    }
    let track = Tracks.normalized(host.track)
    let member = snapshot.membership(address)
    if file.track(of: node) != file.track {
      return
        "\(node.name) asks for \(node.version ?? file.version), the cluster for \(file.version)"
    }
    // A member behind the file's version is upgraded; a standalone host joins on the
    // cluster's oldest control-plane track (upgraded after), or waits on the file's.
    let behind = Tracks.minor(track).map { $0 < (Tracks.minor(file.track) ?? 0) } ?? false
    let joinable = [file.track] + (cluster.flatMap { lowestTrack($0) }.map { [$0] } ?? [])
    if track != file.track, !(member == cluster && cluster != nil && behind),
      !(member != cluster && joinable.contains(track))
    {
      return "\(node.name) runs \(host.track); the file says \(node.version ?? file.version)"
    }
    if member != cluster && !snapshot.isStandalone(address) {
      return "\(node.name) is \(snapshot.whereabouts(address))"
    }
    if let cluster,
      snapshot.cluster(cluster)?.members.contains(where: { $0.host == address }) == true,
      member != cluster
    {
      return "\(node.name)'s address is still a datastore entry of the cluster (a ghost)"
    }
    return nil
  }

  /// A brand-new cluster: the first present mixed node founds it (README, plan).
  private func brandNewDoubt() -> String? {
    guard let founder = file.present.first(where: { $0.role == .mixed }) else {
      return "no present mixed node"
    }
    // mktopo records the cluster it founds before anything joins it: an earlier file's
    // founder may be the recorded cluster, which a file without it cannot read.
    for other in earlier {
      guard let first = other.present.first(where: { $0.role == .mixed }),
        first.name != founder.name,
        !file.present.contains(where: { $0.name == first.name && $0.role == .mixed })
      else { continue }
      return "an earlier file's founder, \(first.name), may be the cluster mktopo recorded"
    }
    return nil
  }

  private func clusterDoubt(_ cluster: Int) -> String? {
    let members = snapshot.memberHosts(cluster)
    let nodes = snapshot.cluster(cluster)?.nodes ?? []
    let contact = file.present.contains { node in
      node.role == .mixed && members.contains { $0.address == node.address && $0.mode != .worker }
    }
    guard contact else { return "no present mixed node of the file is a member to read it from" }
    let voters = QuorumWatch.count(cluster, in: snapshot)
    guard voters.live == voters.voters else {
      return "\(voters.voters - voters.live) of \(voters.voters) voters are not live"
    }
    // Behind the file's version by any number of minors, one upgrade at a time; never
    // ahead, and never more than one minor apart (an upgrade half-way).
    let minors = snapshot.memberHosts(cluster).map { Tracks.minor($0.track) }
    let wanted = Tracks.minor(file.track) ?? 0
    let known = minors.compactMap { $0 }
    guard known.count == minors.count, known.allSatisfy({ $0 <= wanted }),
      (known.max() ?? 0) - (known.min() ?? 0) <= 1
    else {
      return "the cluster runs \(snapshot.tracks(cluster).sorted()), the file \(file.track)"
    }
    // A control-plane member the file does not manage (unlisted and kept) holds an
    // upgrade back: nothing refreshes it.
    if known.contains(where: { $0 < wanted }) {
      for host in members where host.mode != .worker {
        let listed = file.node(named: host.nodeName)
        guard listed == nil, !file.prune, let minor = Tracks.minor(host.track), minor < wanted
        else { continue }
        return "\(host.nodeName) is not in the file and runs \(host.track): nothing upgrades it"
      }
    }
    // An upgrade drains every member, so none may hold what a drain refuses.
    if known.contains(where: { $0 < wanted }), file.drains {
      for host in members {
        if let refusal = undrainable(host.nodeName, in: cluster) {
          return "\(host.nodeName) must be drained for the upgrade, and its drain is refused: "
            + refusal
        }
      }
    }
    // A Node whose host is no member (left by hand, or wiped): how mktopo should treat
    // it is not settled by the rules, unless the file neither lists it nor prunes.
    for node in nodes where snapshot.membership(node.host) != cluster {
      if file.node(named: node.name) != nil || file.prune {
        return "\(node.name) is a Node whose host is no member (\(snapshot.whereabouts(node.host)))"
      }
    }
    let ghosts = snapshot.ghosts(cluster)
    for ghost in ghosts where file.nodes.contains(where: { $0.address == ghost.host }) {
      return "the ghost \(ghost.address) is at an address the file lists"
    }
    // A ghost is drift that only cleanupGhosts lets mktopo remove (README, honest
    // convergence): without it the file is never met.
    if let ghost = ghosts.first, !file.cleanupGhosts {
      return "the ghost \(ghost.address) stays, as cleanupGhosts is false"
    }
    // A voter with no Node cannot be confirmed alive, and control-plane joins wait for
    // every voter to be (contract section 9, ISSUE #2348).
    if let ghost = ghosts.first(where: { $0.role == .voter }) {
      return "the ghost \(ghost.address) holds a vote"
    }
    var removals = 0
    var controlPlaneLeaving = 0
    for host in members {
      let listed = file.node(named: host.nodeName)
      let role: Role = host.mode == .worker ? .worker : .mixed
      let leaves: Bool
      if let listed, listed.absent, listed.address == nil {
        // mktopo must then reach it by name, which only a real ssh could resolve.
        return "\(host.nodeName) is absent without an address, and the simulator knows no names"
      } else if let listed {
        leaves = listed.absent || listed.role != role
      } else if file.node(at: host.address) != nil {
        return "\(host.nodeName)'s address is listed under another name"
      } else {
        leaves = file.prune
      }
      if leaves, file.drains, let refusal = undrainable(host.nodeName, in: cluster) {
        return "\(host.nodeName) must leave, and its drain is refused: \(refusal)"
      }
      if leaves {
        removals += 1
        let staysMixed = listed.map { !$0.absent && $0.role == .mixed } ?? false
        if role == .mixed && !staysMixed { controlPlaneLeaving += 1 }
      }
    }
    if file.cleanupGhosts { removals += ghosts.count }
    guard removals <= file.maxRemovals.limit else {
      return "\(removals) removals (role changes and ghosts counted) exceed maxRemovals"
    }
    let controlPlane = members.filter { $0.mode != .worker }.count
    if controlPlaneLeaving > 0 && controlPlane - controlPlaneLeaving < 3 {
      return "control-plane removals would shrink the datastore below 3 members"
    }
    return nil
  }

  /// The oldest track the cluster's control-plane members run: what nodes join on
  /// during an upgrade.
  private func lowestTrack(_ cluster: Int) -> String? {
    let minors = snapshot.memberHosts(cluster).filter { $0.mode != .worker }
      .compactMap { Tracks.minor($0.track) }
    return minors.min().map { "1.\($0)" }
  }

  /// What a drain of `node` would refuse (kubectl drain without `--force`): a pod with no
  /// controller, or a pod of an app whose budget allows no disruption.
  private func undrainable(_ node: String, in cluster: Int) -> String? {
    guard let state = snapshot.cluster(cluster) else { return nil }
    let pods = state.pods.filter { $0.node == node }
    if let naked = pods.first(where: { $0.owner == .none }) {
      return "pod \(naked.qualifiedName) has no controller"
    }
    for budget in state.budgets {
      let covered = state.pods.filter { $0.namespace == budget.namespace && $0.app == budget.app }
      guard pods.contains(where: { covered.contains($0) && $0.owner == .replicaSet }) else {
        continue
      }
      if covered.filter({ $0.isReady(at: snapshot.time) }).count <= budget.minAvailable {
        return "budget \(budget.namespace)/\(budget.name) allows no disruption"
      }
    }
    return nil
  }
}
