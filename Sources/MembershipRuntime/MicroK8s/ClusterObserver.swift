import MembershipCore

/// One observation pass (DESIGN.md section 3): find the contact, read the cluster
/// through it, and probe only the listed nodes that need it.
///
/// The contact is a present control-plane node of the file, in file order, whose
/// cluster is the file's: the one recorded in the state directory (`IdentityRecord`),
/// or, before any is recorded, the first cluster a listed control-plane node shows,
/// provided every control-plane node passed over on the way is known to be in it or to
/// be no member of anything. Absent nodes and workers are never contacts. A converged
/// pass costs two commands: `status --format yaml` and `kubectl get nodes,namespaces -o
/// json` on the contact.
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
  /// The identity the cluster was recorded with; nil when none is recorded yet.
  public var expectedIdentity: String?
  /// Read a cluster whose identity is not `expectedIdentity` as the file's all the same,
  /// choosing it as if none were recorded: a deliberate rebuild
  /// (`--allow-foreign-topology`).
  public var adoptsAnotherIdentity = false

  public init(engine: MicroK8sEngine) {
    self.engine = engine
  }

  /// What one pass saw, and the problems it met on the way (file order).
  public struct Observation: Sendable {
    public var cluster: ObservedCluster
    public var problems: [EngineError]
    /// Why nothing may be planned from this pass.
    ///
    /// No control-plane node of the cluster could be read, the cluster read is not the recorded
    /// one, or the listed nodes belong to two clusters. nil when the pass is sound.
    public var unreadable: String?
    /// Advice about the pass itself.
    public var notes: [String] = []
    /// The identity to record for the file's cluster: the contact's, once its cluster
    /// is more than a lone standalone MicroK8s (which a fresh host also is), and only
    /// from a sound pass.
    public var establishedIdentity: String?

    public init(
      cluster: ObservedCluster,
      problems: [EngineError] = [],
      unreadable: String? = nil,
      notes: [String] = [],
      establishedIdentity: String? = nil
    ) {
      self.cluster = cluster
      self.problems = problems
      self.unreadable = unreadable
      self.notes = notes
      self.establishedIdentity = establishedIdentity
    }
  }

  public func observe() async -> Observation {
    let topology = engine.topology
    var search = ContactSearch(
      topology: topology,
      expected: adoptsAnotherIdentity ? nil : expectedIdentity
    )
    await search.run(engine)
    var cluster = ObservedCluster(
      contact: search.contact?.name,
      nodes: search.nodes,
      datastore: search.datastore,
      identity: search.identity
    )
    guard search.contact != nil else {
      // Every failure met, for the warnings that go with the verdict.
      var problems: [EngineError] = []
      for name in search.passedOver {
        guard case .failure(let error) = search.statuses[name] else { continue }
        // A host mktopo will install MicroK8s on: the plan says so, no warning.
        let node = topology.nodes.first { $0.name == name }
        if error.failure == .notInstalled, let node, topology.installsMicroK8s(on: node) {
          continue
        }
        problems.append(error)
      }
      var verdict = search.verdict(expected: expectedIdentity)
      if verdict == nil, search.statuses.values.contains(where: { Self.lacksMicroK8s($0) }) {
        verdict = await classifyForFounding(&cluster, search)
      }
      return Observation(
        cluster: cluster,
        problems: problems + search.problems,
        unreadable: verdict
      )
    }
    let memberNames = Set(search.nodes.map(\.name))
    // Only nodes the file wants that the cluster lacks: an absent one is not looked for.
    let toProbe = topology.nodes.filter { $0.state == .present && !memberNames.contains($0.name) }
    var probed: [(NodeSpec, NodeProbe, EngineError?)]
    switch probeScope {
    case .all: probed = await probe(toProbe, search)
    case .firstJoinable:
      probed = await probeUntilJoinable(
        toProbe.filter { $0.role == .mixed } + toProbe.filter { $0.role == .worker },
        search
      )
    }
    probed += await probe(search.membersToProbe(), search)
    var problems: [EngineError] = []
    for (node, probe, problem) in probed {
      cluster.probes.append(probe)
      if probe.finding == .unreachable { cluster.unreachable.append(node.name) }
      if let problem { problems.append(problem) }
    }
    // Members the contact search tried before the contact, and could not reach.
    let probedNames = Set(probed.map(\.0.name))
    var memberProblems: [EngineError] = []
    for name in search.passedOver where memberNames.contains(name) && !probedNames.contains(name) {
      guard case .failure(let error) = search.statuses[name] else { continue }
      if error.isUnreachable { cluster.unreachable.append(name) }
      memberProblems.append(error)
    }
    problems = memberProblems + search.problems + problems
    var observation = Observation(cluster: cluster, problems: problems)
    let choosing = expectedIdentity == nil || adoptsAnotherIdentity
    // Before the cluster is recorded, nodes marked absent say which cluster the file
    // means too: one that is in another cluster means the file spans two. They are
    // asked only then, and never become contacts or probes of the plan.
    let absent = topology.nodes.filter {
      $0.state == .absent && $0.address != nil && !memberNames.contains($0.name)
    }
    let absentProbes =
      choosing && search.contact != nil && !absent.isEmpty
      ? await probe(absent, search).map(\.1) : []
    if choosing, let contact = search.contact,
      let split = ClusterSplit(
        topology: topology,
        contact: contact.name,
        members: memberNames,
        contactIsStandalone: !search.isEstablished,
        identity: search.identity,
        probes: cluster.probes + absentProbes
      )
    {
      observation.unreadable = split.description
      return observation
    }
    if let identity = search.identity, search.isEstablished {
      observation.establishedIdentity = identity
      if let expectedIdentity, identity != expectedIdentity {
        observation.notes.append(
          "cluster \(topology.cluster.name) was recorded with identity \(expectedIdentity); "
            + "\(search.contact?.name ?? "its contact") now reads it as \(identity), which "
            + "--allow-foreign-topology takes as the cluster from now on"
        )
      }
    }
    return observation
  }

  /// Probes `nodes` in parallel, reusing what the contact search already read.
  private func probe(
    _ nodes: [NodeSpec],
    _ search: ContactSearch
  ) async -> [(NodeSpec, NodeProbe, EngineError?)] {
    var results: [(Int, NodeProbe, EngineError?)] = []
    await withTaskGroup(of: (Int, NodeProbe, EngineError?).self) { group in
      var next = 0
      func add() {
        guard next < nodes.count else { return }
        let index = next
        let node = nodes[index]
        let known = search.reading(of: node.name)
        group.addTask {
          let (probe, problem) = await NodeClassifier(engine: engine).classify(node, known: known)
          return (index, probe, problem)
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

  private static func lacksMicroK8s(_ status: Result<StatusReport, EngineError>) -> Bool {
    guard case .failure(let error) = status else { return false }
    return error.failure == .notInstalled
  }

  /// Classifies the nodes for founding a cluster on a host without MicroK8s.
  ///
  /// No cluster answered, and a control-plane node of the file has no MicroK8s: the
  /// founder-to-be and the nodes to join it are classified as for a join, so that hosts
  /// without MicroK8s can be installed (the candidates' status is reused, not asked
  /// again). Returns why nothing may be planned: listed nodes (or nodes marked absent)
  /// in another cluster mean the file may describe that one, as when a founder answers.
  private func classifyForFounding(
    _ cluster: inout ObservedCluster,
    _ search: ContactSearch
  ) async -> String? {
    let topology = engine.topology
    let present = topology.nodes.filter { $0.state == .present }
    for (node, probe, _) in await probe(present, search) {
      cluster.probes.append(probe)
      if probe.finding == .unreachable { cluster.unreachable.append(node.name) }
    }
    guard expectedIdentity == nil || adoptsAnotherIdentity,
      let founder = present.first(where: { $0.role == .mixed })
    else { return nil }
    let absent = topology.nodes.filter { $0.state == .absent && $0.address != nil }
    let absentProbes = absent.isEmpty ? [] : await probe(absent, search).map(\.1)
    var split = ClusterSplit(
      topology: topology,
      contact: founder.name,
      members: [],
      contactIsStandalone: true,
      identity: nil,
      probes: cluster.probes + absentProbes
    )
    split?.readIsBare = true
    return split?.description
  }

  /// Probes `nodes` one by one until one is standalone on the cluster's track.
  private func probeUntilJoinable(
    _ nodes: [NodeSpec],
    _ search: ContactSearch
  ) async -> [(NodeSpec, NodeProbe, EngineError?)] {
    let track = engine.topology.cluster.version.track
    var results: [(NodeSpec, NodeProbe, EngineError?)] = []
    for node in nodes {
      let (probe, problem) = await NodeClassifier(engine: engine).classify(
        node,
        known: search.reading(of: node.name)
      )
      results.append((node, probe, problem))
      if case .standalone(let found) = probe.finding, found.track == track,
        probe.hostname == node.name
      {
        break
      }
    }
    return results
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
