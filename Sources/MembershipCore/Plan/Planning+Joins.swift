/// Joins (and founding a brand-new cluster), and finishing the rejoin of nodes that left.
extension Planning {
  /// Joins every listed present node that is not a member: mixed nodes in file order,
  /// then workers, each to the contact, one at a time; then nodes that left the cluster
  /// while their Node stayed registered are joined again.
  mutating func planJoins() {
    indexMachineNames()
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
    for index in desired.nodes.indices where matched.entries[index].kind == .left {
      planRejoin(index)
    }
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
    if lacksMicroK8s(index) {
      changes.append(
        Change(
          action: .install,
          node: founder.name,
          address: address,
          role: founder.role,
          steps: [installStep(founder)],
          votersAfter: voters,
          reason: "MicroK8s is not installed there; it founds the cluster, so it is installed "
            + "first (policy.install)"
        )
      )
    }
    return founder.name
  }

  /// Why the join is planned, as the node's probe found it.
  private func joinReason(_ index: Int) -> String {
    let track = joinTrack.track
    if case .lowMemoryGuard = matched.probe(index)?.finding {
      return "listed in the topology; MicroK8s \(track) under its low-memory guard, which "
        + "allows a worker"
    }
    if lacksMicroK8s(index) {
      return "listed in the topology; MicroK8s is not installed there, so it is installed "
        + "from \(joinTrack.channel) first (policy.install)"
    }
    return "listed in the topology, standalone on MicroK8s \(track)"
  }

  private mutating func planJoin(_ index: Int) {
    let spec = desired.nodes[index]
    if case .addressMismatch(let node, _) = status(ofNamesake: index) {
      block(.changeAddress, spec.name, addressMismatchReason(spec, node))
      return
    }
    if let problem = joinProblem(index, founding: false) ?? clusterTrackProblem(spec) {
      block(.join, spec.name, problem)
      return
    }
    guard let contact, let contactAddress = contact.address, let address = spec.address else {
      block(.join, spec.name, "no reachable control-plane member to run add-node on")
      return
    }
    // A control-plane join waits for the down voters to go; when this plan removes
    // them (state: absent, ghosts), it comes after those removals (`planDeferredJoins`).
    if spec.role == .mixed, deferringJoins, downVoterProblem() != nil {
      deferredJoins.append(index)
      return
    }
    // A ghost at the joiner's own address (its earlier membership, as after a
    // reinstall) refuses the join (microk8s-cluster-agent: "the joining node's IP is
    // already in the dqlite cluster"): its removal comes first, in the same change.
    var clearing: [Step] = []
    if datastore.role(of: address) != nil {
      guard let step = ghostRemoval(at: address, before: spec, runner: contact) else { return }
      clearing = [step]
    }
    if spec.role == .mixed {
      if let problem = downVoterProblem() {
        block(.join, spec.name, problem)
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
        steps: (lacksMicroK8s(index) ? [installStep(spec)] : []) + clearing
          + joinSteps(spec, contact: contact, contactAddress: contactAddress),
        votersAfter: voters,
        reason: joinReason(index)
          + (clearing.isEmpty ? "" : "; its earlier datastore entry is removed first")
      )
    )
  }

  /// The `remove-node ADDRESS --force` that clears a ghost at `spec`'s address before
  /// it joins; nil, with the join blocked, when the policy or the quorum forbids it.
  private mutating func ghostRemoval(
    at address: NodeAddress,
    before spec: NodeSpec,
    runner: NodeSpec
  ) -> Step? {
    guard desired.policy.cleanupGhosts else {
      block(
        .join,
        spec.name,
        "its address \(address) is still a datastore member of this cluster, left by an "
          + "earlier membership (a ghost), and MicroK8s refuses the join until it is removed. "
          + "Set policy.cleanupGhosts: true, or on a member run 'sudo microk8s remove-node "
          + "\(address) --force' (see \(BehaviourSection.ghosts.citation))"
      )
      return nil
    }
    if let problem = datastore.removalProblem(of: address, live: live()) {
      block(.join, spec.name, "its earlier datastore entry cannot be removed: " + explain(problem))
      return nil
    }
    datastore.remove(address)
    clearedGhosts.insert(address)
    return Step(.removeNode, on: runner.name, arguments: [address.description, "--force"])
  }

  /// The control-plane joins a down voter held back, planned again once the removals
  /// are: blocked with the reason if a down voter is still there.
  mutating func planDeferredJoins() {
    deferringJoins = false
    for index in deferredJoins { planJoin(index) }
  }

  /// A node that ran `leave` (a role change's first step, or by hand) while its Node
  /// stayed registered: remove the stale Node, then join it with the file's role.
  private mutating func planRejoin(_ index: Int) {
    let spec = desired.nodes[index]
    guard case .left(let node, let track) = matched.status(index), let address = spec.address
    else { return }
    let action: BlockedChange.Action = node.role == spec.role ? .join : .changeRole
    if let problem = standaloneProblem(index, track: track) ?? clusterTrackProblem(spec) {
      block(action, spec.name, problem)
      return
    }
    guard let runner = contact(excluding: spec.name), let runnerAddress = runner.address else {
      block(action, spec.name, "no other reachable control-plane member to run remove-node on")
      return
    }
    // A leave that did not finish may have left the member behind: evict it with --force.
    let inDatastore = datastore.role(of: address) != nil
    if inDatastore {
      if let problem = datastore.removalProblem(of: address, live: live()) {
        block(action, spec.name, explain(problem))
        return
      }
      datastore.remove(address)
      setLive(address, false)
    }
    if spec.role == .mixed {
      if let problem = downVoterProblem() {
        block(action, spec.name, problem)
        return
      }
      datastore.join(address)
      setLive(address, true)
    }
    let remove = Step(
      .removeNode,
      on: runner.name,
      arguments: inDatastore ? [spec.name, "--force"] : [spec.name]
    )
    changes.append(
      Change(
        action: action == .join ? .join : .changeRole,
        node: spec.name,
        address: address,
        role: spec.role,
        steps: [remove] + joinSteps(spec, contact: runner, contactAddress: runnerAddress),
        votersAfter: voters,
        reason: "left the cluster (its MicroK8s is standalone now) while its Node stayed "
          + "registered: the stale Node is removed, then it joins as \(spec.role.rawValue)"
      )
    )
  }

  /// Adding a control-plane node while a voter is down can take the datastore down
  /// (microk8s-contract.md section 9): the dead voter must go first.
  mutating func downVoterProblem() -> String? {
    var down: [NodeAddress] = []
    for voter in voters where !isLive(voter) { down.append(voter) }
    guard !down.isEmpty else { return nil }
    let list = down.map { named($0) }.joined(separator: ", ")
    let noun = down.count == 1 ? "voter \(list) is" : "voters \(list) are"
    let pronoun = down.count == 1 ? "it" : "them"
    return "datastore \(noun) down; bring \(pronoun) back, or remove \(pronoun) (state: absent) "
      + "before adding control-plane nodes"
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
}
