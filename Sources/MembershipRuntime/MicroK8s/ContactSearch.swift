import MembershipCore

/// The contact search of one observation: which present control-plane node of the file
/// shows the file's cluster (`ClusterObserver`), what each node asked showed, and, when
/// none does, why.
struct ContactSearch {
  let topology: Topology
  /// The recorded identity the contact's cluster must have; nil to choose by file order.
  let expected: String?

  /// Every status read, by node name.
  var statuses: [String: Result<StatusReport, EngineError>] = [:]
  /// Every node listing read, by node name.
  var listings: [String: Result<ClusterListing, EngineError>] = [:]
  var contact: NodeSpec?
  var nodes: [ObservedNode] = []
  var datastore: [DatastoreMember] = []
  var identity: String?
  /// The contact's datastore names members other than itself, or it lists other nodes.
  var isEstablished = false
  var problems: [EngineError] = []
  /// Candidates asked before the contact (or all of them, with none), in file order.
  var passedOver: [String] = []
  /// Candidates passed over whose membership is unknown, with why, in file order.
  var unknown: [(name: String, reason: String)] = []
  /// Candidates in a cluster other than the recorded one, with its identity.
  var foreign: [(name: String, identity: String?)] = []
  /// Some candidate's datastore names members: a cluster exists, read or not.
  var sawMembership = false
  /// Why no cluster could be chosen although one answered.
  var ambiguity: String?
  /// The first standalone candidate that could found the cluster, while the others
  /// are read.
  private var founder: Founder?

  private struct Founder {
    var node: NodeSpec
    var datastore: DatastoreStatus
    var listed: ClusterListing
  }

  init(topology: Topology, expected: String?) {
    self.topology = topology
    self.expected = expected
  }

  var candidates: [NodeSpec] {
    topology.nodes.filter { $0.state == .present && $0.role == .mixed }
  }

  mutating func run(_ engine: MicroK8sEngine) async {
    for (position, node) in candidates.enumerated() {
      // The first candidate is nearly always the contact: ask it for the listing at the
      // same time as for its status, so a pass takes one round trip, not two.
      async let prefetched: Result<ClusterListing, EngineError>? =
        position == 0
        ? outcome { () throws(EngineError) in try await engine.listing(on: node) } : nil
      let status = await outcome { () throws(EngineError) in try await engine.status(of: node) }
      statuses[node.name] = status
      if let listing = await prefetched { listings[node.name] = listing }
      if await consider(node, status, engine) { return }
      passedOver.append(node.name)
    }
    if let founder { decideFounding(founder) }
  }

  /// A standalone MicroK8s founds the cluster only when every other candidate was read
  /// and none is in a cluster: one that could not be read may be a member of the file's
  /// cluster (its other members down, or marked absent), and founding beside it would
  /// make a second cluster.
  private mutating func decideFounding(_ founder: Founder) {
    // A cluster that could not be told apart says more than a founder that waits.
    guard ambiguity == nil else { return }
    guard unknown.isEmpty else {
      // Members seen but not read: the plain verdict says so (`bareVerdict`).
      guard !sawMembership else { return }
      ambiguity =
        "\(founder.node.name) runs a standalone MicroK8s that could found cluster "
        + "\(topology.cluster.name), but "
        + unknown.map { "\($0.name) (\($0.reason))" }.joined(separator: ", ")
        + (unknown.count == 1 ? " is" : " are") + " not known to be outside a cluster and "
        + "may already be in \(topology.cluster.name); nothing is founded while a "
        + "control-plane node of the topology cannot be read"
      return
    }
    passedOver.removeAll { $0 == founder.node.name }
    adopt(founder.node, founder.datastore, founder.listed)
  }

  /// Whether `node` is the contact; records what it showed either way.
  private mutating func consider(
    _ node: NodeSpec,
    _ status: Result<StatusReport, EngineError>,
    _ engine: MicroK8sEngine
  ) async -> Bool {
    let datastore: DatastoreStatus
    switch status {
    case .failure(let error):
      // No MicroK8s at all is known to be no member, and so is one under the low-memory
      // guard: the status wrapper answers for a worker before it checks the guard, and a
      // control-plane node under it runs no datastore (upstream
      // `microk8s-resources/wrappers/microk8s-status.wrapper`). Anything else is unknown.
      if error.failure != .notInstalled && error.failure != .lowMemory {
        unknown.append((node.name, Self.phrase(error)))
      }
      return false
    case .success(.worker):
      sawMembership = true
      unknown.append((node.name, "runs as a worker of some cluster, which cannot list it"))
      return false
    case .success(.stopped):
      unknown.append((node.name, "MicroK8s is stopped"))
      return false
    case .success(.notRunning(let status)):
      if let status, !status.members.isEmpty, !status.isLoopbackOnly { sawMembership = true }
      unknown.append((node.name, "MicroK8s is not ready"))
      return false
    case .success(.running(let status)):
      guard !status.members.isEmpty else {
        // status gave up asking dqlite (contract section 6): proves nothing.
        unknown.append((node.name, "MicroK8s did not report its datastore members"))
        return false
      }
      datastore = status
    }
    if !datastore.isLoopbackOnly { sawMembership = true }
    let listing: Result<ClusterListing, EngineError>
    if let known = listings[node.name] {
      listing = known
    } else {
      listing = await outcome { () throws(EngineError) in try await engine.listing(on: node) }
      listings[node.name] = listing
    }
    guard case .success(let listed) = listing else {
      if case .failure(let error) = listing {
        problems.append(error)
        unknown.append((node.name, "its nodes could not be listed: " + Self.phrase(error)))
      }
      return false
    }
    return choose(node, datastore, listed)
  }

  /// Whether the cluster `node` shows is the file's.
  private mutating func choose(
    _ node: NodeSpec,
    _ datastore: DatastoreStatus,
    _ listed: ClusterListing
  ) -> Bool {
    if let expected {
      guard listed.identity == expected else {
        // A standalone host is simply a host to join; only a cluster is worth naming.
        if !datastore.isLoopbackOnly { foreign.append((node.name, listed.identity)) }
        return false
      }
    } else if datastore.isLoopbackOnly {
      // A standalone MicroK8s is a one-node cluster, but founds this one only when it
      // runs the file's track under the file's name (else this pass could have an
      // older node join a newer one), and only once every other candidate has been
      // read (`decideFounding`): a cluster found later is the one to join.
      let own = NodeClassifier.standaloneNode(listed)
      guard founder == nil, let own, own.name == node.name,
        own.kubeletTrack?.track == topology.cluster.version.track
      else { return false }
      founder = Founder(node: node, datastore: datastore, listed: listed)
      return false
    } else {
      // Nodes passed over that might be members must be this cluster's, or nobody can
      // tell which cluster the file describes.
      let names = Set(listed.nodes.map(\.name))
      let outside = unknown.filter { !names.contains($0.name) }
      guard outside.isEmpty else {
        ambiguity =
          "\(node.name) is in a cluster (\(Self.list(listed.nodes.map(\.name)))), but "
          + outside.map { "\($0.name) (\($0.reason))" }.joined(separator: ", ")
          + (outside.count == 1 ? " is" : " are") + " not among its nodes and could not "
          + "be read, so which cluster is \(topology.cluster.name) cannot be told"
        return false
      }
    }
    adopt(node, datastore, listed)
    return true
  }

  private mutating func adopt(
    _ node: NodeSpec,
    _ datastore: DatastoreStatus,
    _ listed: ClusterListing
  ) {
    contact = node
    nodes = listed.nodes
    identity = listed.identity
    self.datastore =
      node.address.map { datastore.members(replacingLoopbackWith: $0) } ?? datastore.members
    isEstablished = !datastore.isLoopbackOnly || listed.nodes.count > 1
  }

  /// What the search knows of `name`, for the probe that follows.
  func reading(of name: String) -> NodeClassifier.Known {
    NodeClassifier.Known(status: statuses[name], listing: listings[name])
  }

  /// Listed present members that are not Ready, or control-plane nodes missing from the
  /// datastore: probing them tells a host that is down from one that has left.
  func membersToProbe() -> [NodeSpec] {
    let members = Set(datastore.map(\.address))
    func needsProbe(_ node: ObservedNode, declared: NodeAddress?) -> Bool {
      if !node.ready { return true }
      let inDatastore =
        node.internalIP.map { members.contains($0) } ?? false
        || declared.map { members.contains($0) } ?? false
      return node.role == .mixed && !inDatastore
    }
    // A healthy cluster, the common case, needs no probe and no index of its nodes.
    guard nodes.contains(where: { needsProbe($0, declared: nil) }) else { return [] }
    var byName: [String: ObservedNode] = [:]
    for node in nodes { byName[node.name] = node }
    return topology.nodes.filter { spec in
      guard spec.state == .present, spec.name != contact?.name, let node = byName[spec.name]
      else { return false }
      return needsProbe(node, declared: spec.address)
    }
  }

  /// Why no contact was found, for a pass with none; nil when nothing suggests a
  /// cluster exists (a brand-new cluster may be founded).
  func verdict(expected recorded: String?) -> String? {
    guard var text = bareVerdict(expected: recorded) else { return nil }
    let absent = topology.nodes.filter { $0.state == .absent && $0.role == .mixed }.map(\.name)
    if !absent.isEmpty {
      text +=
        ". The nodes marked absent (\(Self.list(absent))) are never read, as they are to "
        + "leave: a topology must keep at least one member of the cluster present"
    }
    return text
  }

  private func bareVerdict(expected recorded: String?) -> String? {
    let cluster = topology.cluster.name
    if let ambiguity { return ambiguity }
    let asked = unknown.map { "\($0.name) (\($0.reason))" }
    if let recorded {
      var text =
        "no control-plane node of cluster \(cluster) (identity \(recorded)) could be read"
      if !asked.isEmpty { text += ": " + asked.joined(separator: ", ") }
      if !foreign.isEmpty {
        let names = foreign.map { "\($0.name) (identity \($0.identity ?? "unknown"))" }
        text +=
          (asked.isEmpty ? ". " : "; ")
          + "\(Self.list(names)) answered from another cluster. If cluster \(cluster) was "
          + "rebuilt on purpose, pass --allow-foreign-topology to take that cluster as it"
      }
      return text + "; nothing can be planned from this pass"
    }
    guard sawMembership || !unknown.isEmpty else { return nil }
    if asked.isEmpty {
      return "cluster \(cluster) has members, but none of its control-plane nodes in the "
        + "topology could be read; nothing can be planned from this pass"
    }
    return "no control-plane node of the topology could be read: " + asked.joined(separator: ", ")
      + "; whether cluster \(cluster) exists, and which nodes are in it, cannot be told, so "
      + "nothing can be planned from this pass"
  }

  static func phrase(_ error: EngineError) -> String {
    switch error.cause {
    case .transport(let transport):
      return transport.isUnreachable ? "could not be reached" : transport.description
    case .microK8s(let failure): return failure.summary
    }
  }

  static func list(_ names: [String]) -> String {
    names.count <= 6
      ? names.joined(separator: ", ")
      : names.prefix(6).joined(separator: ", ")
        + " and \(names.count - 6) more"
  }
}
