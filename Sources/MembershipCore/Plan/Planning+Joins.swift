/// Joins (and founding a brand-new cluster), then role changes.
extension Planning {
  /// Joins every listed present node that is not a member: mixed nodes in file order,
  /// then workers, each to the contact, one at a time.
  mutating func planJoins() {
    if !observed.hasMembers {
      guard let name = foundCluster() else { return }
      founder = name
    }
    // Not a node that is a member, or whose name a member or the founder has.
    let candidates = matched.presentNonMembers.filter { index in
      guard desired.nodes[index].name != founder else { return false }
      return !(matched.nodeIndex(index).map { matched.namedByMember[$0] } ?? false)
    }
    for index in candidates where desired.nodes[index].role == .mixed { planJoin(index) }
    for index in candidates where desired.nodes[index].role == .worker { planJoin(index) }
  }

  /// No member answered: the first mixed node in file order founds the cluster as it
  /// is (a standalone MicroK8s is a one-node cluster), and becomes the contact.
  ///
  /// Returns the founder's name, or nil when the cluster cannot be founded.
  private mutating func foundCluster() -> String? {
    guard
      let index = desired.nodes.firstIndex(where: { $0.state == .present && $0.role == .mixed }),
      let address = desired.nodes[index].address
    else {
      return nil
    }
    let founder = desired.nodes[index]
    if let problem = joinProblem(index, founding: true) {
      for spec in desired.presentNodes {
        block(.join, spec.name, "cannot found the cluster on \(founder.name): \(problem)")
      }
      return nil
    }
    datastore = DatastoreReplay([DatastoreMember(address: address, role: .voter)])
    setLive(address, true)
    contact = founder
    return founder.name
  }

  private mutating func planJoin(_ index: Int) {
    let spec = desired.nodes[index]
    if case .addressMismatch(let node, _) = status(ofNamesake: index) {
      block(.changeAddress, spec.name, addressMismatchReason(spec, node))
      return
    }
    if let problem = joinProblem(index, founding: false) {
      block(.join, spec.name, problem)
      return
    }
    guard let contact, let contactAddress = contact.address, let address = spec.address else {
      block(.join, spec.name, "no reachable control-plane member to run add-node on")
      return
    }
    if spec.role == .mixed {
      // Adding a control-plane node while a voter is down can take the datastore down
      // (microk8s-contract.md section 9); the dead voter must go first.
      var down: [NodeAddress] = []
      for voter in voters where !isLive(voter) { down.append(voter) }
      guard down.isEmpty else {
        let list = down.map { named($0) }.joined(separator: ", ")
        let noun = down.count == 1 ? "voter \(list) is" : "voters \(list) are"
        let pronoun = down.count == 1 ? "it" : "them"
        block(
          .join,
          spec.name,
          "datastore \(noun) down; bring \(pronoun) back, or remove \(pronoun) (state: absent) "
            + "before adding control-plane nodes"
        )
        return
      }
      datastore.join(address)
      setLive(address, true)
    }
    changes.append(
      Change(
        action: .join,
        node: spec.name,
        address: address,
        role: spec.role,
        steps: joinSteps(spec, contact: contact, contactAddress: contactAddress),
        votersAfter: voters,
        reason: "listed in the topology, standalone on MicroK8s \(spec.version.track)"
      )
    )
  }

  /// add-node on the contact (a fresh token for every attempt), join on the node.
  func joinSteps(_ spec: NodeSpec, contact: NodeSpec, contactAddress: NodeAddress) -> [Step] {
    let ttl = String(desired.policy.tokenTTL.components.seconds)
    var joinArguments = ["\(contactAddress.withPort(25000))/\(Step.tokenPlaceholder)"]
    if spec.role == .worker { joinArguments.append("--worker") }
    return [
      Step(
        .addNode,
        on: contact.name,
        arguments: [
          "--token", Step.tokenPlaceholder, "--token-ttl", ttl, "--format", "token-check",
        ]
      ),
      Step(.join, on: spec.name, arguments: joinArguments),
    ]
  }

  /// Why `desired.nodes[index]` cannot join (or found the cluster) now, in words a
  /// person can act on.
  func joinProblem(_ index: Int, founding: Bool) -> String? {
    let spec = desired.nodes[index]
    let cluster = desired.cluster.version
    guard spec.version.matches(cluster) else {
      return "\(spec.name) asks for MicroK8s \(spec.version) but the cluster runs \(cluster); "
        + "nodes join only on the cluster's track"
    }
    switch status(ofNamesake: index) {
    case .probed(.standalone(let track)):
      guard track.track == cluster.track else {
        let running =
          "\(spec.name) runs MicroK8s \(track.track) but the cluster runs \(cluster.track)"
        // snap cannot go back a track, and the join replaces the node's data anyway.
        if (track.major, track.minor) > (cluster.major, cluster.minor) {
          return running + "; snap cannot downgrade, so on \(spec.name) run: sudo snap remove "
            + "microk8s --purge && sudo snap install microk8s --classic --channel=\(cluster.channel)"
        }
        return running
          + "; on \(spec.name) run: sudo snap refresh microk8s --channel=\(cluster.channel)"
      }
      return nil
    case .probed(.memberOfAnotherCluster):
      return "\(spec.name) is a member of another cluster; joining would wipe its data. "
        + "Run 'microk8s leave' on it first if that is intended"
    case .probed(.notReady):
      return "MicroK8s on \(spec.name) is stopped, not ready, or could not report its "
        + "datastore, so it is neither known to be standalone nor a member. On it run "
        + "'sudo microk8s start' and 'sudo microk8s status --wait-ready'; if a join was "
        + "interrupted there, 'sudo microk8s leave' makes it standalone again"
    case .probed(.notPermitted):
      return "mktopo may not run MicroK8s on \(spec.name) (no permission to its credentials, "
        + "or sudo asks for a password); let the connection's user run it through "
        + "'sudo -n' (a sudoers.d entry for /snap/bin/microk8s), or add the user to the "
        + "microk8s group"
    case .probed(.microK8sMissing):
      return "MicroK8s is not installed on \(spec.name) (or cannot be run); on it run: "
        + "sudo snap install microk8s --classic --channel=\(cluster.channel)"
    case .probed(.unreachable), .unreachable:
      return "\(spec.name) could not be reached; it is not treated as absent. "
        + "Check its connection settings and that the host is up"
    case .notObserved:
      return "\(spec.name) was not observed; observe the cluster again"
    case .addressMismatch(let node, _):
      return addressMismatchReason(spec, node)
    case .member:
      return founding ? nil : "\(spec.name) is already a member"
    }
  }

  func addressMismatchReason(_ spec: NodeSpec, _ node: ObservedNode) -> String {
    let seen = node.internalIP?.description ?? "no InternalIP"
    let declared = spec.address?.description ?? "none"
    return "\(spec.name) is a member with InternalIP \(seen), but the topology declares "
      + "\(declared); mktopo does not move a member to a new address, as the datastore keeps "
      + "the old one. Correct the address in the file, or remove the node (state: absent) "
      + "and, once it is gone, list it again with its new address"
  }

  /// Members whose role differs from the file: leave, remove-node, then rejoin.
  mutating func planRoleChanges() {
    for (index, current) in matched.roleMismatches {
      planRoleChange(desired.nodes[index], from: current)
    }
  }

  private mutating func planRoleChange(_ spec: NodeSpec, from current: Role) {
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
    if current == .mixed {
      if let problem = datastore.removalProblem(of: address, live: live()) {
        block(.changeRole, spec.name, explain(problem))
        return
      }
      datastore.remove(address)
    }
    if spec.role == .mixed {
      datastore.join(address)
    }
    let steps =
      [Step(.leave, on: spec.name), Step(.removeNode, on: runner.name, arguments: [spec.name])]
      + joinSteps(spec, contact: runner, contactAddress: runnerAddress)
    changes.append(
      Change(
        action: .changeRole,
        node: spec.name,
        address: address,
        role: spec.role,
        steps: steps,
        votersAfter: voters,
        reason: "runs as \(current.rawValue), the topology asks for \(spec.role.rawValue)"
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
          && desired.nodes[index].role == .mixed && matched.node(index)?.ready == true
          && !isUnreachable(desired.nodes[index].name)
      }
    standInContacts = standIns
    return standIns.first { desired.nodes[$0].name != name }.map { desired.nodes[$0] }
  }
}
