/// Rolling upgrades to the file's version: one minor version at a time across the
/// whole cluster, as Kubernetes' version skew policy requires (a kubelet never newer
/// than the API servers, and API servers at most one minor apart); within each minor,
/// control-plane nodes first, one at a time, then workers.
extension Planning {
  /// The track nodes join on: the control plane's lowest while an upgrade to the file's
  /// version is under way (a joiner is then upgraded with the rest); else the file's.
  static func joinTrack(of observed: ObservedCluster, wanted: Track) -> Track {
    var lowest: Int?
    var tracks = KubeletTracks()
    for node in observed.nodes where node.role == .mixed {
      guard let track = tracks.track(of: node), track.major == wanted.major,
        track.minor < wanted.minor
      else { continue }
      lowest = min(lowest ?? track.minor, track.minor)
    }
    guard let lowest else { return wanted }
    return Track(major: wanted.major, minor: lowest, strict: wanted.strict, risk: wanted.risk)
  }

  /// The control-plane members on `track` that no upgrade of this file reaches: not
  /// listed as present with the cluster's version, and not pruned.
  func unmanagedControlPlane(on track: Track) -> [String] {
    let wanted = desired.cluster.version
    var names: [String] = []
    for node in observed.nodes where node.role == .mixed {
      guard let own = node.kubeletTrack, own.major == track.major, own.minor == track.minor
      else { continue }
      let listed = desired.nodes.first { $0.name == node.name }
      if let listed, listed.state == .absent { continue }
      if listed == nil, desired.policy.prune { continue }
      if let listed, listed.version.matches(wanted) { continue }
      names.append(node.name)
    }
    return names
  }

  /// One node the upgrade concerns.
  private struct Upgradee {
    var index: Int
    var minor: Int
    /// Its Node is Ready (a node this plan joins counts as Ready: it is, once joined).
    var ready: Bool
  }

  /// Upgrade changes that bring every present member (and every node this plan joins)
  /// to the file's minor version, one minor at a time; blocked from the first node that
  /// cannot be upgraded, since no node may go further until every node has caught up.
  mutating func planUpgrades() {
    let wanted = desired.cluster.version
    var fleet: [Upgradee] = []
    let joined = Set(changes.filter { $0.action == .join }.map(\.node))
    var tracks = KubeletTracks()
    for index in desired.nodes.indices where desired.nodes[index].state == .present {
      let spec = desired.nodes[index]
      // A node that asks for another version than the cluster's is drift of its own.
      guard spec.version.matches(wanted) else { continue }
      if joined.contains(spec.name) {
        fleet.append(Upgradee(index: index, minor: joinTrack.minor, ready: true))
      } else if matched.entries[index].kind == .member, let node = matched.node(index) {
        guard let track = tracks.track(of: node), track.major == wanted.major else { continue }
        fleet.append(Upgradee(index: index, minor: track.minor, ready: node.ready))
      }
    }
    guard var stage = fleet.filter({ $0.minor < wanted.minor }).map(\.minor).min() else { return }
    let held = heldBack(excluding: Set(fleet.map { desired.nodes[$0.index].name }))
    // Control-plane nodes first, in file order, then workers.
    fleet.sort { lhs, rhs in
      let left = desired.nodes[lhs.index].role == .mixed ? 0 : 1
      let right = desired.nodes[rhs.index].role == .mixed ? 0 : 1
      return (left, lhs.index) < (right, rhs.index)
    }
    var halted: String?
    while stage < wanted.minor, halted == nil {
      let next = Track(
        major: wanted.major,
        minor: stage + 1,
        strict: wanted.strict,
        risk: wanted.risk
      )
      for position in fleet.indices where fleet[position].minor == stage {
        let name = desired.nodes[fleet[position].index].name
        if let reason = halted {
          block(.upgrade, name, "to \(next.track) " + reason)
          continue
        }
        if let problem =
          heldProblem(fleet[position], to: next, held)
          ?? upgradeProblem(fleet[position], fleetSize: fleet.count)
        {
          block(.upgrade, name, problem)
          halted =
            "waits for \(name) to reach \(next.track): the cluster moves one minor version "
            + "at a time, every node before any goes further"
          continue
        }
        fleet[position].minor = stage + 1
        changes.append(upgrade(fleet[position], to: next, fleet: fleet))
      }
      stage += 1
    }
    guard let reason = halted else { return }
    let blockedNames = Set(blocked.map(\.node))
    for member in fleet where member.minor < wanted.minor {
      let name = desired.nodes[member.index].name
      let next = "\(wanted.major).\(member.minor + 1)"
      if !blockedNames.contains(name) { block(.upgrade, name, "to \(next) " + reason) }
    }
  }

  /// The oldest control-plane members mktopo does not upgrade, and their minor version.
  ///
  /// Members the file does not list (kept with `policy.prune: false`), or lists with
  /// another version of their own; those this plan removes aside.
  private func heldBack(excluding fleet: Set<String>) -> (minor: Int, names: [String])? {
    let removed = Set(changes.filter { $0.action == .remove }.map(\.node))
    var held: (minor: Int, names: [String])?
    var tracks = KubeletTracks()
    for node in observed.nodes where node.role == .mixed {
      guard !fleet.contains(node.name), !removed.contains(node.name),
        let track = tracks.track(of: node), track.major == desired.cluster.version.major
      else { continue }
      if let known = held, known.minor <= track.minor {
        if known.minor == track.minor { held?.names.append(node.name) }
      } else {
        held = (track.minor, [node.name])
      }
    }
    return held
  }

  /// Why `member` may not go to `next` while `held` stays where it is: API servers at most
  /// one minor version apart, and no kubelet newer than any API server.
  private func heldProblem(
    _ member: Upgradee,
    to next: Track,
    _ held: (minor: Int, names: [String])?
  ) -> String? {
    guard let held else { return nil }
    let limit = desired.nodes[member.index].role == .mixed ? held.minor + 1 : held.minor
    guard next.minor > limit else { return nil }
    return "held back by control-plane members on \(next.major).\(held.minor) that mktopo "
      + "does not upgrade (not in the topology, or with a version of their own): "
      + held.names.joined(separator: ", ") + ". \(desired.nodes[member.index].name) cannot go "
      + "to \(next.track) while they stay, as Kubernetes' version skew policy requires; list "
      + "them in the topology, or upgrade them by hand"
  }

  /// Why `member` cannot be upgraded now; nil when it can.
  private mutating func upgradeProblem(_ member: Upgradee, fleetSize: Int) -> String? {
    let spec = desired.nodes[member.index]
    if isUnreachable(spec.name) { return "\(spec.name) could not be reached to refresh it" }
    guard member.ready else {
      return "\(spec.name) is not Ready; an upgrade waits until every node is"
    }
    guard spec.snapCommand != nil else {
      return "\(spec.name)'s microk8s command does not end in microk8s, so how to run snap "
        + "there cannot be told; give the node a 'snap:' command"
    }
    if fleetSize > 1, runner(for: spec) == nil {
      return "no reachable control-plane member to drain \(spec.name) from"
    }
    // Its datastore restarts with the refresh: the other voters must keep a majority.
    if spec.role == .mixed, let address = spec.address, datastore.role(of: address) == .voter,
      voters.count > 1, let problem = datastore.removalProblem(of: address, live: live())
    {
      return "\(spec.name)'s datastore restarts with the refresh: " + explain(problem)
    }
    return nil
  }

  /// Who cordons, drains and uncordons `spec`: another control-plane member, else the
  /// node itself when it is the only one (its workers take the pods; it uncordons itself
  /// once it is back on the new version).
  private mutating func runner(for spec: NodeSpec) -> NodeSpec? {
    contact(excluding: spec.name) ?? (contact?.name == spec.name ? spec : nil)
  }

  /// cordon and drain, `snap refresh` to `next`, uncordon: one node, one minor version.
  private mutating func upgrade(_ member: Upgradee, to next: Track, fleet: [Upgradee]) -> Change {
    let spec = desired.nodes[member.index]
    // A lone node has nowhere to move its pods to: it is refreshed as it is.
    let lone = fleet.count == 1
    let runner = lone ? nil : runner(for: spec)
    let drain = runner == nil ? Drain.off : drain(ready: true)
    let refresh = Step(
      .refresh,
      on: spec.name,
      arguments: ["microk8s", "--channel=\(next.channel)"]
    )
    var steps = [refresh]
    if let runner {
      steps =
        drainSteps(spec.name, on: runner, drain) + steps
        + uncordonSteps(spec.name, on: runner, drain)
    }
    let from = "\(desired.cluster.version.major).\(next.minor - 1)"
    var reason = "runs \(from), the topology asks for \(desired.cluster.version.track)"
    if next.minor < desired.cluster.version.minor {
      reason += ": to \(next.track) first, one minor version at a time"
    }
    if lone { reason += "; not drained, as the only node" }
    var change = Change(
      action: .upgrade,
      node: spec.name,
      address: spec.address,
      role: nil,
      steps: steps,
      votersAfter: voters,
      reason: reason
    )
    change.version = next
    var groups: [Int: [String]] = [:]
    for other in fleet { groups[other.minor, default: []].append(desired.nodes[other.index].name) }
    change.versionsAfter = groups.keys.sorted(by: >).map {
      Change.Versions(track: "\(next.major).\($0)", nodes: groups[$0] ?? [])
    }
    return change
  }
}
