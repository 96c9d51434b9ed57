import MembershipCore

/// Executes a plan the way a perfect engine would, for property tests: each change turns
/// the observed cluster into the one the next observation would report.
enum PlanSimulation {
  /// What the next observation reports before any change: a standalone founder is a
  /// one-node cluster, so the observer finds it as a member and reads through it.
  static func observe(_ observed: ObservedCluster, topology: Topology) -> ObservedCluster {
    guard !observed.hasMembers,
      let founder = topology.controlPlaneNodes.first, let address = founder.address,
      observed.probes.contains(where: {
        $0.name == founder.name && $0.finding == .standalone(track: founder.version)
      })
    else { return observed }
    var result = observed
    result.probes.removeAll { $0.name == founder.name }
    result.nodes.append(
      ObservedNode(
        name: founder.name,
        internalIP: address,
        role: .mixed,
        ready: true,
        kubeletVersion: "v1.28.3"
      )
    )
    result.datastore = [DatastoreMember(address: address, role: .voter)]
    result.contact = founder.name
    return result
  }

  static func apply(
    _ change: Change,
    to observed: ObservedCluster,
    topology: Topology
  )
    -> ObservedCluster
  {
    var result = observed
    switch change.action {
    case .join, .changeRole:
      guard let address = change.address, let role = change.role else { return result }
      result.nodes.removeAll { $0.name == change.node }
      result.nodes.append(
        ObservedNode(
          name: change.node,
          internalIP: address,
          role: role,
          ready: true,
          kubeletVersion: "v1.28.3"
        )
      )
      result.probes.removeAll { $0.name == change.node }
      var members = DatastoreModel.removed(result.datastore, address: address)
      if role == .mixed { members = DatastoreModel.joined(members, address: address) }
      result.datastore = members
      if result.contact == nil, role == .mixed { result.contact = change.node }
    case .remove:
      let node = result.nodes.first { $0.name == change.node }
      result.nodes.removeAll { $0.name == change.node }
      if let address = node?.internalIP ?? change.address {
        result.datastore = DatastoreModel.removed(result.datastore, address: address)
      }
      result.unreachable.removeAll { $0 == change.node }
      if result.contact == change.node { result.contact = nil }
    case .cleanupGhost:
      if let address = change.address {
        result.datastore = DatastoreModel.removed(result.datastore, address: address)
      }
    case .upgrade:
      if let version = change.version,
        let index = result.nodes.firstIndex(where: { $0.name == change.node })
      {
        result.nodes[index].kubeletVersion = "v\(version.major).\(version.minor).0"
      }
    case .install:
      // The founder's MicroK8s, standalone now: the next observation founds on it.
      for index in result.probes.indices where result.probes[index].name == change.node {
        let track = topology.nodes.first { $0.name == change.node }?.version
        result.probes[index].finding = .standalone(track: track ?? Track(major: 1, minor: 28))
      }
      return observe(result, topology: topology)
    }
    // The next observation reads through the first reachable, running control-plane
    // member in file order, as the engine will.
    let unreachable = Set(result.unreachable)
    result.contact =
      topology.nodes.first { spec in
        spec.role == .mixed && spec.state == .present && !unreachable.contains(spec.name)
          && result.nodes.contains { $0.name == spec.name && $0.ready && $0.role == .mixed }
      }?.name
    return result
  }
}
