import MembershipCore

/// One observation pass (DESIGN.md section 3): find the contact, read the cluster
/// through it, and probe only the listed nodes the cluster lacks.
///
/// The contact is the first control-plane node in file order that runs and can be read;
/// a standalone MicroK8s counts, as a one-node cluster. A converged pass costs two
/// commands: `status --format yaml` and `kubectl get nodes -o json` on the contact.
public struct ClusterObserver: Sendable {
  public let engine: MicroK8sEngine
  /// How many probes run at once.
  public var parallelProbes = 16

  /// Which listed non-members a pass probes.
  public enum ProbeScope: Sendable {
    /// Every one: what `status` and `plan` show.
    case all
    /// In the order the planner joins them (mixed nodes in file order, then workers),
    /// up to the first that can join: all `apply` needs for its next change, at two
    /// commands instead of two per waiting node. The rest stay unobserved.
    case firstJoinable
  }

  public var probeScope = ProbeScope.all

  public init(engine: MicroK8sEngine) {
    self.engine = engine
  }

  /// What one pass saw, and the problems it met on the way (file order).
  public struct Observation: Sendable {
    public var cluster: ObservedCluster
    public var problems: [EngineError]
    /// Set when some node reported cluster membership, yet no node could be read as the
    /// contact: nothing may be planned from such a pass.
    public var unreadable: String?
    /// Advice about the pass itself, such as which cluster it took for the file's.
    public var notes: [String] = []

    public init(
      cluster: ObservedCluster,
      problems: [EngineError] = [],
      unreadable: String? = nil,
      notes: [String] = []
    ) {
      self.cluster = cluster
      self.problems = problems
      self.unreadable = unreadable
      self.notes = notes
    }
  }

  public func observe() async -> Observation {
    let topology = engine.topology
    var search = ContactSearch()
    // File order, absent nodes included: until removed they are members like any other,
    // and skipping them could take a newer standalone node for the cluster.
    let candidates = topology.nodes.filter { $0.role == .mixed }
    for (position, node) in candidates.enumerated() {
      // The first candidate is nearly always the contact: ask it for the nodes at the
      // same time as for its status, so a pass takes one round trip, not two.
      async let prefetched: Result<[ObservedNode], EngineError>? =
        position == 0
        ? outcome { () throws(EngineError) in try await engine.nodes(on: node) } : nil
      let result = await outcome { () throws(EngineError) in try await engine.status(of: node) }
      search.prefetchedNodes = await prefetched
      search.statuses[node.name] = result
      guard case .success(.running(let datastore)) = result, !datastore.members.isEmpty else {
        // Unknown (unreachable, stopped, not ready, no datastore list, a worker): it may
        // be the cluster's. Only a host without MicroK8s is known not to be.
        if case .failure(let error) = result, error.failure == .notInstalled { continue }
        search.passedUnknown = true
        // Not ready, yet it names members: a cluster this pass cannot read.
        if case .success(.notRunning(.some(let datastore))) = result, !datastore.members.isEmpty,
          !datastore.isLoopbackOnly
        {
          search.sawMembership = true
        }
        continue
      }
      // A standalone node is a one-node cluster (its datastore still says 127.0.0.1,
      // contract section 6), but only when no node before it in the file might be the
      // cluster: else this pass could have an older node join a newer one, wiping it.
      if datastore.isLoopbackOnly, search.passedUnknown || search.sawMembership { continue }
      if await search.read(through: node, datastore, engine) { break }
      search.passedUnknown = true
    }
    var cluster = ObservedCluster(
      contact: search.contact?.name,
      nodes: search.nodes,
      datastore: search.datastore
    )
    let memberNames = Set(search.nodes.map(\.name))
    // Only nodes the file wants that the cluster lacks: an absent one is not looked for.
    let toProbe = topology.nodes.filter { $0.state == .present && !memberNames.contains($0.name) }
    let probed: [(NodeSpec, NodeProbe.Finding, EngineError?)]
    switch probeScope {
    case .all: probed = await probe(toProbe, known: search.statuses)
    case .firstJoinable:
      probed = await probeUntilJoinable(
        toProbe.filter { $0.role == .mixed } + toProbe.filter { $0.role == .worker },
        known: search.statuses
      )
    }
    var problems: [EngineError] = []
    for (node, finding, problem) in probed {
      cluster.probes.append(NodeProbe(name: node.name, finding: finding))
      if finding == .unreachable { cluster.unreachable.append(node.name) }
      if let problem { problems.append(problem) }
    }
    // Members the contact search tried before the contact, and could not reach.
    var memberProblems: [EngineError] = []
    for node in candidates where memberNames.contains(node.name) {
      guard case .failure(let error) = search.statuses[node.name] else { continue }
      if error.isUnreachable { cluster.unreachable.append(node.name) }
      memberProblems.append(error)
    }
    problems = memberProblems + search.problems + problems
    var unreadable: String?
    if search.contact == nil, search.sawMembership {
      unreadable =
        "cluster \(topology.cluster.name) has members, but none of its control-plane nodes "
        + "in the topology could be read; nothing can be planned from this pass"
    }
    var notes: [String] = []
    let foreign = cluster.probes.filter { $0.finding == .memberOfAnotherCluster }.map(\.name)
    if let contact = search.contact, search.datastore.count == 1, !foreign.isEmpty {
      notes.append(
        "\(contact.name), the first control-plane node in the file that answered, is a "
          + "one-node cluster, so it was taken as cluster \(topology.cluster.name); "
          + "\(foreign.joined(separator: ", ")) belong to another cluster. If that cluster is "
          + "the one this file describes, list one of its control-plane nodes first."
      )
    }
    return Observation(
      cluster: cluster,
      problems: problems,
      unreadable: unreadable,
      notes: notes
    )
  }

  /// Probes `nodes` in parallel, reusing statuses the contact search already read.
  private func probe(
    _ nodes: [NodeSpec],
    known: [String: Result<StatusReport, EngineError>]
  ) async -> [(NodeSpec, NodeProbe.Finding, EngineError?)] {
    var results: [(Int, NodeProbe.Finding, EngineError?)] = []
    await withTaskGroup(of: (Int, NodeProbe.Finding, EngineError?).self) { group in
      var next = 0
      func add() {
        guard next < nodes.count else { return }
        let index = next
        let node = nodes[index]
        let status = known[node.name]
        group.addTask {
          let (finding, problem) = await classify(node, status: status)
          return (index, finding, problem)
        }
        next += 1
      }
      for _ in 0..<parallelProbes { add() }
      for await result in group {
        results.append(result)
        add()
      }
    }
    return results.sorted { $0.0 < $1.0 }.map { (nodes[$0.0], $0.1, $0.2) }
  }

  /// Probes `nodes` one by one until one is standalone on the cluster's track.
  private func probeUntilJoinable(
    _ nodes: [NodeSpec],
    known: [String: Result<StatusReport, EngineError>]
  ) async -> [(NodeSpec, NodeProbe.Finding, EngineError?)] {
    let track = engine.topology.cluster.version.track
    var results: [(NodeSpec, NodeProbe.Finding, EngineError?)] = []
    for node in nodes {
      let (finding, problem) = await classify(node, status: known[node.name])
      results.append((node, finding, problem))
      if case .standalone(let found) = finding, found.track == track { break }
    }
    return results
  }

  /// What a listed non-member is: `status` says whether it is clustered; `version`
  /// gives a standalone node's track.
  private func classify(
    _ node: NodeSpec,
    status known: Result<StatusReport, EngineError>?
  ) async -> (NodeProbe.Finding, EngineError?) {
    let status: Result<StatusReport, EngineError>
    var versionResult: Result<MicroK8sVersion, EngineError>?
    if let known {
      status = known
    } else {
      // `version` is asked alongside `status`: a standalone node, the common case, needs
      // both, and one round trip is half the wait.
      async let version = outcome { () throws(EngineError) in try await engine.version(of: node) }
      status = await outcome { () throws(EngineError) in try await engine.status(of: node) }
      versionResult = await version
    }
    switch status {
    case .failure(let error):
      return (Self.finding(for: error), error)
    case .success(.worker):
      // A worker not among our nodes belongs to another cluster.
      return (.memberOfAnotherCluster, nil)
    case .success(.stopped), .success(.notRunning(nil)):
      return (.notReady, problem(node, .stopped))
    case .success(.notRunning(.some)):
      // Not ready: whatever its datastore says, nothing can be done with it now.
      return (.notReady, problem(node, .nodeNotReady(name: node.name)))
    case .success(.running(let datastore)):
      if !datastore.members.isEmpty, !datastore.isLoopbackOnly {
        return (.memberOfAnotherCluster, nil)
      }
      // An empty member list proves nothing (status gave up asking dqlite, contract
      // section 6): not a standalone node to join or found a cluster on.
      if datastore.members.isEmpty { return (.notReady, nil) }
      let version =
        if let versionResult { versionResult } else {
          await outcome { () throws(EngineError) in try await engine.version(of: node) }
        }
      switch version {
      case .success(let version): return (.standalone(track: version.track), nil)
      case .failure(let error): return (Self.finding(for: error), error)
      }
    }
  }

  private static func finding(for error: EngineError) -> NodeProbe.Finding {
    switch error.cause {
    case .transport: return .unreachable
    case .microK8s(.stopped), .microK8s(.apiServerUnavailable): return .notReady
    case .microK8s(.insufficientPermissions), .microK8s(.sudoPasswordRequired),
      .microK8s(.needsRoot):
      return .notPermitted
    case .microK8s: return .microK8sMissing
    }
  }

  private func problem(_ node: NodeSpec, _ failure: MicroK8sFailure) -> EngineError {
    EngineError(
      host: node.name,
      command: "microk8s status --format yaml",
      cause: .microK8s(failure),
      track: engine.topology.cluster.version
    )
  }
}

/// The contact search's state: statuses read so far, and the cluster once read.
private struct ContactSearch {
  var statuses: [String: Result<StatusReport, EngineError>] = [:]
  /// The contact candidate's nodes, asked for alongside its status.
  var prefetchedNodes: Result<[ObservedNode], EngineError>?
  var contact: NodeSpec?
  var nodes: [ObservedNode] = []
  var datastore: [DatastoreMember] = []
  var problems: [EngineError] = []
  /// Some node's status named members other than itself.
  var sawMembership = false
  /// A node passed over could be a member: unreachable, stopped, not ready, or unread.
  var passedUnknown = false

  /// Reads the Kubernetes nodes through `node`; false (and a problem) when it cannot.
  mutating func read(
    through node: NodeSpec,
    _ status: DatastoreStatus,
    _ engine: MicroK8sEngine
  ) async -> Bool {
    if !status.isLoopbackOnly { sawMembership = true }
    let listing =
      if let prefetchedNodes { prefetchedNodes } else {
        await outcome { () throws(EngineError) in try await engine.nodes(on: node) }
      }
    prefetchedNodes = nil
    switch listing {
    case .success(let listed): nodes = listed
    case .failure(let error):
      problems.append(error)
      return false
    }
    contact = node
    datastore = node.address.map { status.members(replacingLoopbackWith: $0) } ?? status.members
    return true
  }
}

/// The result of an engine call, as a value to keep and pass on.
func outcome<Value>(
  _ body: () async throws(EngineError) -> Value
) async -> Result<Value, EngineError> {
  do {
    return .success(try await body())
  } catch {
    return .failure(error)
  }
}
