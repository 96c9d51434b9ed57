/// Removals, ghost cleanup, and the refusal of a file that does not describe this cluster.
extension Planning {
  /// One member to remove, with what the plan needs to know about it.
  private struct Removal {
    var name: String
    var address: NodeAddress?
    /// Listed with a connection, and reached in this pass: it can run `leave` itself.
    var reachable: Bool
    var reason: String
  }

  /// `state: absent` entries that are members, and (with `prune: true`) members the
  /// file does not list; workers first, then control-plane non-voters, then voters.
  mutating func planRemovals() {
    let unreachable = Set(observed.unreachable)
    var removals: [Removal] = []
    for entry in membership.listed where entry.spec.state == .absent {
      guard case .member(let node, _) = entry.status else { continue }
      removals.append(
        Removal(
          name: node.name,
          address: node.internalIP ?? entry.spec.address,
          reachable: !unreachable.contains(node.name) && node.ready,
          reason: "state: absent"
        )
      )
    }
    if desired.policy.prune {
      for node in membership.unlisted {
        removals.append(
          Removal(
            name: node.name,
            address: node.internalIP,
            reachable: false,
            reason: "not in the topology, and policy.prune is true"
          )
        )
      }
    }
    for removal in removals.sorted(by: { rank($0) < rank($1) }) {
      planRemoval(removal)
    }
  }

  /// Sort key: workers, then standbys and spares, then voters; by name within each.
  private func rank(_ removal: Removal) -> (Int, String) {
    let role = members.first { $0.address == removal.address }?.role
    let group = role == nil ? 0 : role == .voter ? 2 : 1
    return (group, removal.name)
  }

  private var removalCount: Int {
    changes.reduce(0) { $0 + ($1.action == .remove || $1.action == .cleanupGhost ? 1 : 0) }
  }

  private mutating func planRemoval(_ removal: Removal) {
    let limit = desired.policy.maxRemovals
    guard removalCount < limit else {
      block(
        .remove,
        removal.name,
        "the plan would remove more than policy.maxRemovals (\(limit)) members; raise it, "
          + "or remove fewer nodes at once"
      )
      return
    }
    guard let runner = contact(excluding: removal.name) else {
      block(.remove, removal.name, "no other reachable control-plane member to run remove-node on")
      return
    }
    let inDatastore =
      removal.address.map { address in
        members.contains { $0.address == address }
      } ?? false
    if inDatastore, let address = removal.address {
      if let problem = DatastoreModel.removalProblem(of: address, from: members, live: live) {
        block(.remove, removal.name, problem.description)
        return
      }
      members = DatastoreModel.removed(members, address: address)
      live.remove(address)
    }
    // A reachable node leaves first, so it is out of the datastore before remove-node;
    // an unreachable one can only be evicted (`--force` after the name: contract §5).
    let steps =
      removal.reachable
      ? [
        Step(.leave, on: removal.name),
        Step(.removeNode, on: runner.name, arguments: [removal.name]),
      ]
      : [Step(.removeNode, on: runner.name, arguments: [removal.name, "--force"])]
    changes.append(
      Change(
        action: .remove,
        node: removal.name,
        address: removal.address,
        role: nil,
        steps: steps,
        votersAfter: voters,
        reason: removal.reachable ? removal.reason : removal.reason + "; unreachable, so forced"
      )
    )
  }

  /// Datastore members of no node: `remove-node IP --force` only with cleanupGhosts,
  /// which exits 1 yet removes the entry (microk8s-contract.md section 5).
  mutating func planGhostCleanup() {
    for ghost in membership.ghosts {
      let entry = "\(ghost.address):\(ghost.port)"
      guard desired.policy.cleanupGhosts else {
        warnings.append(
          "datastore member \(entry) (\(ghost.role.rawValue)) matches no node; its address "
            + "cannot rejoin until it is removed (set policy.cleanupGhosts: true)"
        )
        continue
      }
      guard removalCount < desired.policy.maxRemovals else {
        block(
          .cleanupGhost,
          ghost.address.description,
          "the plan would remove more than policy.maxRemovals "
            + "(\(desired.policy.maxRemovals)) members"
        )
        continue
      }
      guard let runner = contact(excluding: "") else {
        block(.cleanupGhost, ghost.address.description, "no reachable control-plane member")
        continue
      }
      if let problem = DatastoreModel.removalProblem(of: ghost.address, from: members, live: live) {
        block(.cleanupGhost, ghost.address.description, problem.description)
        continue
      }
      members = DatastoreModel.removed(members, address: ghost.address)
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

  /// A file that names none of the cluster's nodes, or would have all of them removed,
  /// is almost certainly the wrong file for this cluster.
  func foreignTopologyRefusal() -> BlockedChange? {
    guard observed.hasMembers else { return nil }
    let known = membership.listed.filter { entry in
      switch entry.status {
      case .member, .addressMismatch: return true
      default: return false
      }
    }
    let keeps = known.contains { $0.spec.state == .present }
    guard !keeps else { return nil }
    let names = observed.nodes.map(\.name).sorted().prefix(5).joined(separator: ", ")
    let reason =
      known.isEmpty
      ? "the topology names none of the cluster's nodes (\(names)); is it the file for "
        + "cluster \(desired.cluster.name)? Pass --allow-foreign-topology to plan anyway"
      : "the topology would remove every member of the cluster; keep at least one present "
        + "node, or pass --allow-foreign-topology"
    return BlockedChange(action: .remove, node: "*", reason: reason)
  }
}
