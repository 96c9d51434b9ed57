/// Removals, ghost cleanup, and the refusal of a file that does not describe this cluster.
extension Planning {
  /// One member to remove, with what the plan needs to know about it.
  private struct Removal {
    var name: String
    var address: NodeAddress?
    /// Listed with a connection, and reached in this pass: it can run `leave` itself.
    var reachable: Bool
    /// Its Node is Ready: a kubelet is there to stop its pods, so it can be drained.
    var ready: Bool
    var reason: String
  }

  /// `state: absent` entries that are members, and (with `prune: true`) members the
  /// file does not list; workers first, then control-plane non-voters, then voters.
  ///
  /// `policy.maxRemovals` counts what the file asks for, reachable or not: a file asking
  /// for more is refused as a whole, so an outage cannot turn refused removals into
  /// blocked ones and let the rest of the plan through.
  mutating func planRemovals() {
    var removals: [Removal] = []
    for index in matched.absentMembers {
      guard case .member(let node, _) = matched.status(index) else { continue }
      removals.append(
        Removal(
          name: node.name,
          address: node.internalIP ?? desired.nodes[index].address,
          reachable: !isUnreachable(node.name) && node.ready,
          ready: node.ready,
          reason: !isUnreachable(node.name) && node.ready
            ? "state: absent" : "state: absent; unreachable, so evicted without 'microk8s leave'"
        )
      )
    }
    for pair in matched.misnamed where desired.nodes[pair.spec].state == .absent {
      let spec = desired.nodes[pair.spec]
      let node = matched.unlisted[pair.unlisted]
      block(
        .remove,
        spec.name,
        "the member at \(spec.address?.description ?? "its address") is \(node.name), not "
          + "\(spec.name) (its hostname is \(node.name)); to remove it, name it \(node.name) "
          + "in the file"
      )
    }
    for (position, node) in matched.unlisted.enumerated() {
      if matched.isMisnamed(unlisted: position) {
        // Never pruned: the file means to keep it, under a misspelt name.
        if desired.policy.prune { blockMisnamed(position, node) }
        continue
      }
      guard desired.policy.prune else {
        kept.append(node.name)
        continue
      }
      removals.append(
        Removal(
          name: node.name,
          address: node.internalIP,
          reachable: false,
          ready: node.ready,
          reason: "not in the topology, and policy.prune is true; mktopo has no connection "
            + "to it to run 'microk8s leave', so it is evicted"
        )
      )
    }
    let ghosts = desired.policy.cleanupGhosts ? matched.ghosts.count : 0
    let limit = desired.policy.maxRemovals
    guard removals.count + ghosts <= limit else {
      refuseRemovals(removals.map(\.name), ghosts: ghosts)
      return
    }
    let ranked = removals.map { (rank: rank($0), removal: $0) }
    for entry in ranked.sorted(by: { $0.rank < $1.rank }) {
      planRemoval(entry.removal)
    }
  }

  /// More removals than `policy.maxRemovals`: every one blocked, and apply refused.
  private mutating func refuseRemovals(_ names: [String], ghosts: Int) {
    let limit = desired.policy.maxRemovals
    let count = names.count + ghosts
    var asked = names.sorted().joined(separator: ", ")
    if ghosts > 0 { asked += (asked.isEmpty ? "" : " and ") + "\(ghosts) ghost entries" }
    let reason =
      "the topology asks to remove \(count) members (\(asked)), more than policy.maxRemovals "
      + "(\(limit)), whether or not they can be reached; raise it, or remove fewer nodes at once"
    for name in names.sorted() { block(.remove, name, reason, stopsApply: true) }
    if ghosts > 0 {
      for ghost in matched.ghosts {
        block(.cleanupGhost, ghost.address.description, reason, stopsApply: true)
      }
    }
    ghostsRefused = true
  }

  /// An unlisted member at an address the file declares under another name.
  private mutating func blockMisnamed(_ position: Int, _ node: ObservedNode) {
    guard let pair = matched.misnamed.first(where: { $0.unlisted == position }) else { return }
    let spec = desired.nodes[pair.spec]
    let address = node.internalIP?.description ?? "its address"
    block(
      .remove,
      node.name,
      "not pruned: the topology lists its address \(address) as \(spec.name); the node's "
        + "hostname is \(node.name). Correct the name in the file to \(node.name)"
    )
  }

  /// Sort key: workers, then standbys and spares, then voters; by name within each.
  private func rank(_ removal: Removal) -> (Int, String) {
    let role = removal.address.flatMap { datastore.role(of: $0) }
    let group = role == nil ? 0 : role == .voter ? 2 : 1
    return (group, removal.name)
  }

  private mutating func planRemoval(_ removal: Removal) {
    guard let runner = contact(excluding: removal.name) else {
      block(.remove, removal.name, "no other reachable control-plane member to run remove-node on")
      return
    }
    let inDatastore = removal.address.map { datastore.role(of: $0) != nil } ?? false
    if inDatastore, let address = removal.address {
      if let problem = datastore.removalProblem(of: address, live: live()) {
        block(.remove, removal.name, explain(problem))
        return
      }
      datastore.remove(address)
      setLive(address, false)
    }
    // A reachable node leaves first, so it is out of the datastore before remove-node.
    // Otherwise it is evicted: `--force` (after the name, contract section 5) only for a
    // datastore member, as a worker is never one and needs no more than remove-node.
    // Either way a Ready node is drained first, through the API server.
    let drain = drain(ready: removal.ready)
    let steps =
      drainSteps(removal.name, on: runner, drain)
      + (removal.reachable
        ? [
          Step(.leave, on: removal.name),
          Step(.removeNode, on: runner.name, arguments: [removal.name]),
        ]
        : [
          Step(
            .removeNode,
            on: runner.name,
            arguments: inDatastore ? [removal.name, "--force"] : [removal.name]
          )
        ])
    removalCount += 1
    changes.append(
      Change(
        action: .remove,
        node: removal.name,
        address: removal.address,
        role: nil,
        steps: steps,
        votersAfter: voters,
        reason: removal.reason + Self.notDrainedNote(drain)
      )
    )
  }

  /// Datastore members of no node.
  ///
  /// `remove-node IP --force` only with cleanupGhosts, which exits 1 yet removes the entry
  /// (microk8s-contract.md section 5). Without it a ghost is drift the plan shows as blocked: the
  /// membership does not match.
  mutating func planGhostCleanup() {
    guard !ghostsRefused, !matched.ghosts.isEmpty else { return }
    // Which present node of the file declares each address, the first one that does.
    var owners: [NodeAddress: Int] = [:]
    for index in desired.nodes.indices.reversed() where desired.nodes[index].state == .present {
      if let address = desired.nodes[index].address { owners[address] = index }
    }
    for ghost in matched.ghosts where !clearedGhosts.contains(ghost.address) {
      let entry = ghost.address.withPort(ghost.port)
      let owner = owners[ghost.address]
      if let owner, readsThisCluster(owner) {
        let name = desired.nodes[owner].name
        block(
          .cleanupGhost,
          ghost.address.description,
          "datastore member \(entry) is \(name)'s own, and \(name)'s MicroK8s is still in this "
            + "cluster with no Node registered; removing the entry would cut \(name) off "
            + "rather than rejoin it. Register \(name)'s Node again (see the blocked join of "
            + "\(name), and \(BehaviourSection.ghosts.citation))"
        )
        continue
      }
      guard desired.policy.cleanupGhosts else {
        block(
          .cleanupGhost,
          ghost.address.description,
          "datastore member \(entry) (\(ghost.role.rawValue)) matches no node; its address "
            + "cannot rejoin until it is removed. Set policy.cleanupGhosts: true to remove it"
        )
        continue
      }
      // Never the ghost's own machine: `remove-node` of its own address would cut the
      // runner itself out of the datastore.
      guard let runner = contact(excluding: owner.map { desired.nodes[$0].name } ?? "") else {
        block(.cleanupGhost, ghost.address.description, "no reachable control-plane member")
        continue
      }
      if let problem = datastore.removalProblem(of: ghost.address, live: live()) {
        block(.cleanupGhost, ghost.address.description, explain(problem))
        continue
      }
      datastore.remove(ghost.address)
      removalCount += 1
      changes.append(
        Change(
          action: .cleanupGhost,
          node: ghost.address.description,
          address: ghost.address,
          role: nil,
          steps: [
            Step(.removeNode, on: runner.name, arguments: [ghost.address.description, "--force"])
          ],
          votersAfter: voters,
          reason: "datastore member of no node (policy.cleanupGhosts)"
        )
      )
    }
  }

  /// Whether the MicroK8s of `desired.nodes[index]` is in this cluster: the contact, or
  /// a probe that read this cluster's identity.
  private func readsThisCluster(_ index: Int) -> Bool {
    let name = desired.nodes[index].name
    if observed.contact == name { return true }
    guard let identity = observed.identity, let probe = matched.probe(index),
      case .memberOfAnotherCluster = probe.finding
    else { return false }
    return probe.identity == identity
  }

  /// A file that names none of the cluster's nodes, or would have all of them removed,
  /// is almost certainly the wrong file for this cluster.
  func foreignTopologyRefusal() -> BlockedChange? {
    guard observed.hasMembers else { return nil }
    // Listed nodes the cluster knows: members, whatever their address.
    var knowsAny = false
    for index in desired.nodes.indices {
      switch matched.entries[index].kind {
      case .member, .addressMismatch, .left:
        if desired.nodes[index].state == .present { return nil }
        knowsAny = true
      default: continue
      }
    }
    let names = observed.nodes.map(\.name).sorted().prefix(5).joined(separator: ", ")
    let reason =
      !knowsAny
      ? "the topology names none of the cluster's nodes (\(names)); is it the file for "
        + "cluster \(desired.cluster.name)? Pass --allow-foreign-topology to plan anyway"
      : "the topology would remove every current member of the cluster; keep at least one of "
        + "them present, or pass --allow-foreign-topology"
    return BlockedChange(action: .remove, node: "*", reason: reason, stopsApply: true)
  }
}
