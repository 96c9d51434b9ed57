/// Joins (and founding a brand-new cluster), then role changes.
extension Planning {
  /// Joins every listed present node that is not a member: mixed nodes in file order,
  /// then workers, each to the contact, one at a time.
  mutating func planJoins() {
    if !observed.hasMembers, !foundCluster() { return }
    let candidates = desired.nodes.filter { $0.state == .present && !joinedNames.contains($0.name) }
    for spec in candidates.filter({ $0.role == .mixed }) + candidates.filter({ $0.role == .worker })
    {
      planJoin(spec)
    }
  }

  /// No member answered: the first mixed node in file order founds the cluster as it
  /// is (a standalone MicroK8s is a one-node cluster), and becomes the contact.
  private mutating func foundCluster() -> Bool {
    guard let founder = desired.controlPlaneNodes.first, let address = founder.address else {
      return false
    }
    if let problem = joinProblem(founder, founding: true) {
      for spec in desired.presentNodes {
        block(.join, spec.name, "cannot found the cluster on \(founder.name): \(problem)")
      }
      return false
    }
    members = [DatastoreMember(address: address, role: .voter)]
    live.insert(address)
    contact = founder
    joinedNames.insert(founder.name)
    return true
  }

  private mutating func planJoin(_ spec: NodeSpec) {
    if let problem = joinProblem(spec, founding: false) {
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
      let down = voters.filter { !live.contains($0) }
      guard down.isEmpty else {
        let list = down.map(\.description).joined(separator: ", ")
        block(
          .join,
          spec.name,
          "datastore voter \(list) is down; bring it back, or remove it (state: absent) "
            + "before adding control-plane nodes"
        )
        return
      }
      members = DatastoreModel.joined(members, address: address)
      live.insert(address)
    }
    joinedNames.insert(spec.name)
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
    var joinArguments = ["\(contactAddress):25000/\(Step.tokenPlaceholder)"]
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

  /// Why the node cannot join (or found the cluster) now, in words a person can act on.
  func joinProblem(_ spec: NodeSpec, founding: Bool) -> String? {
    let cluster = desired.cluster.version
    guard spec.version.matches(cluster) else {
      return "\(spec.name) asks for MicroK8s \(spec.version) but the cluster runs \(cluster); "
        + "nodes join only on the cluster's track"
    }
    let status = membership.listed.first { $0.spec.name == spec.name }?.status ?? .notObserved
    switch status {
    case .probed(.standalone(let track)):
      guard track.track == cluster.track else {
        return "\(spec.name) runs MicroK8s \(track.track) but the cluster runs \(cluster.track); "
          + "on \(spec.name) run: sudo snap refresh microk8s --channel=\(cluster.channel)"
      }
      return nil
    case .probed(.memberOfAnotherCluster):
      return "\(spec.name) is a member of another cluster; joining would wipe its data. "
        + "Run 'microk8s leave' on it first if that is intended"
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
      + "\(declared); correct the file, or treat the IP change as a removal (state: absent) "
      + "and a new node"
  }

  /// Members whose role differs from the file: leave, remove-node, then rejoin.
  mutating func planRoleChanges() {
    for entry in membership.listed where entry.spec.state == .present {
      guard case .member(let node, let datastoreRole) = entry.status else { continue }
      let current: Role = node.role ?? (datastoreRole == nil ? .worker : .mixed)
      guard current != entry.spec.role else { continue }
      planRoleChange(entry.spec, from: current)
    }
  }

  private mutating func planRoleChange(_ spec: NodeSpec, from current: Role) {
    guard let address = spec.address else { return }
    guard !observed.unreachable.contains(spec.name) else {
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
      if let problem = DatastoreModel.removalProblem(of: address, from: members, live: live) {
        block(.changeRole, spec.name, problem.description)
        return
      }
      members = DatastoreModel.removed(members, address: address)
    }
    if spec.role == .mixed {
      members = DatastoreModel.joined(members, address: address)
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
  func contact(excluding name: String) -> NodeSpec? {
    if let contact, contact.name != name { return contact }
    return membership.listed.first { entry in
      guard entry.spec.name != name, entry.spec.role == .mixed,
        !observed.unreachable.contains(entry.spec.name),
        case .member(let node, let role) = entry.status, node.ready, role != nil
      else { return false }
      return true
    }?.spec
  }
}
