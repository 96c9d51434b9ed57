/// Role changes, and who runs remove-node and add-node for a change to the contact.
extension Planning {
  /// Members whose role differs from the file: leave, remove-node, then rejoin.
  mutating func planRoleChanges() {
    for (index, current) in matched.roleMismatches {
      planRoleChange(index, from: current)
    }
  }

  private mutating func planRoleChange(_ index: Int, from current: Role) {
    let spec = desired.nodes[index]
    guard let address = spec.address else { return }
    guard !isUnreachable(spec.name) else {
      block(.changeRole, spec.name, "\(spec.name) could not be reached to run 'microk8s leave'")
      return
    }
    guard let runner = contact(excluding: spec.name), let runnerAddress = runner.address else {
      block(
        .changeRole,
        spec.name,
        "no other reachable control-plane member to run remove-node and add-node on"
      )
      return
    }
    if let problem = clusterTrackProblem(spec) {
      block(.changeRole, spec.name, problem)
      return
    }
    if current == .mixed, datastore.role(of: address) != nil {
      if let problem = datastore.removalProblem(of: address, live: live()) {
        block(.changeRole, spec.name, explain(problem))
        return
      }
      datastore.remove(address)
      setLive(address, false)
    } else if current == .mixed, observed.datastore.isEmpty {
      // An empty member list proves nothing (contract section 6): the node may be a
      // voter, and its leave could cost the quorum.
      block(
        .changeRole,
        spec.name,
        "the contact reported no datastore members, so whether \(spec.name) is a voter "
          + "cannot be told; observe the cluster again"
      )
      return
    }
    if spec.role == .mixed {
      if let problem = downVoterProblem() {
        block(.changeRole, spec.name, problem)
        return
      }
      datastore.join(address)
      setLive(address, true)
    }
    let drain = drain(ready: matched.node(index)?.ready ?? false)
    let steps =
      drainSteps(spec.name, on: runner, drain)
      + [Step(.leave, on: spec.name), Step(.removeNode, on: runner.name, arguments: [spec.name])]
      + joinSteps(spec, contact: runner, contactAddress: runnerAddress)
      + uncordonSteps(spec.name, on: runner, drain)
    changes.append(
      Change(
        action: .changeRole,
        node: spec.name,
        address: address,
        role: spec.role,
        steps: steps,
        votersAfter: voters,
        reason: "runs as \(current.rawValue), the topology asks for \(spec.role.rawValue)"
          + Self.notDrainedNote(drain)
      )
    )
  }

  /// The contact, or another reachable listed control-plane member when the contact is
  /// the node being changed or removed.
  mutating func contact(excluding name: String) -> NodeSpec? {
    if let contact, contact.name != name { return contact }
    let standIns =
      standInContacts
      ?? desired.nodes.indices.filter { index in
        let entry = matched.entries[index]
        return entry.kind == .member && entry.datastoreRole != nil
          && desired.nodes[index].state == .present
          && desired.nodes[index].role == .mixed && matched.node(index)?.ready == true
          && !isUnreachable(desired.nodes[index].name)
      }
    standInContacts = standIns
    return standIns.first { desired.nodes[$0].name != name }.map { desired.nodes[$0] }
  }
}
