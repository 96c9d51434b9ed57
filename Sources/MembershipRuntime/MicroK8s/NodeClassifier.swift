import MembershipCore

/// What a listed node's own MicroK8s says it is: `status --format yaml` says whether it
/// is clustered, and `kubectl get nodes,namespaces -o json` on a standalone one gives
/// the name its Node carries (the hostname it joins with), its version and its identity.
///
/// The listing stands in for `microk8s version`, which MicroK8s 1.24 lacks, and for a
/// separate hostname probe: a standalone MicroK8s registers its Node under the host's
/// lowercase hostname, the name it keeps once joined (contract section 7).
struct NodeClassifier: Sendable {
  let engine: MicroK8sEngine

  /// What the contact search already read of the node, reused instead of asked again.
  struct Known: Sendable {
    var status: Result<StatusReport, EngineError>?
    var listing: Result<ClusterListing, EngineError>?
  }

  func classify(_ node: NodeSpec, known: Known) async -> (NodeProbe, EngineError?) {
    let status: Result<StatusReport, EngineError>
    var listing = known.listing
    if let given = known.status {
      status = given
    } else {
      // The listing is asked alongside `status`: a standalone node, the common case,
      // needs both, and one round trip is half the wait.
      async let listed =
        known.listing == nil
        ? outcome { () throws(EngineError) in try await engine.listing(on: node) } : nil
      status = await outcome { () throws(EngineError) in try await engine.status(of: node) }
      if let read = await listed { listing = read }
    }
    func probe(
      _ finding: NodeProbe.Finding,
      _ problem: EngineError? = nil
    ) -> (
      NodeProbe, EngineError?
    ) {
      (NodeProbe(name: node.name, finding: finding), problem)
    }
    switch status {
    case .failure(let error) where error.failure == .lowMemory:
      // No Node to list: kubelite does not run under the guard. `version` still answers.
      // A worker is what MicroK8s advises for such a host: nothing to warn about then.
      let track = try? await engine.version(of: node).track
      return probe(.lowMemoryGuard(track: track), node.role == .worker ? nil : error)
    case .failure(let error):
      // No MicroK8s on a host mktopo will install it on: the plan says so, no warning.
      let finding = Self.finding(for: error)
      let installs = engine.topology.installsMicroK8s(on: node)
      return probe(finding, finding == .microK8sMissing && installs ? nil : error)
    case .success(.worker):
      // A worker of some cluster: the contact's nodes decide whether it is this one.
      return probe(.memberOfAnotherCluster)
    case .success(.stopped), .success(.notRunning(nil)):
      return probe(.notReady, problem(node, .stopped))
    case .success(.notRunning(.some)):
      // Not ready: whatever its datastore says, nothing can be done with it now.
      return probe(.notReady, problem(node, .nodeNotReady(name: node.name)))
    case .success(.running(let datastore)):
      // An empty member list proves nothing (status gave up asking dqlite, contract
      // section 6): not a standalone node to join or found a cluster on.
      if datastore.members.isEmpty { return probe(.notReady) }
      let clustered = !datastore.isLoopbackOnly
      if listing == nil {
        listing = await outcome { () throws(EngineError) in try await engine.listing(on: node) }
      }
      switch listing {
      case .success(let listed):
        if clustered {
          return (
            NodeProbe(name: node.name, finding: .memberOfAnotherCluster, identity: listed.identity),
            nil
          )
        }
        guard let own = Self.standaloneNode(listed), let track = own.kubeletTrack else {
          return probe(.notReady, problem(node, .nodeNotReady(name: node.name)))
        }
        let finding = NodeProbe.Finding.standalone(track: track)
        return (
          NodeProbe(
            name: node.name,
            finding: finding,
            hostname: own.name,
            identity: listed.identity
          ),
          nil
        )
      case .failure(let error):
        if clustered { return probe(.memberOfAnotherCluster) }
        // MicroK8s runs, yet cannot list its own node: not ready, whatever kubectl said.
        return probe(error.isUnreachable ? .unreachable : .notReady, error)
      case nil:
        return probe(.notReady)
      }
    }
  }

  /// The Node a standalone MicroK8s registered for its host.
  ///
  /// The only one, or the only Ready one (a renamed host leaves its old Node behind, NotReady). nil
  /// when that cannot be told.
  static func standaloneNode(_ listing: ClusterListing) -> ObservedNode? {
    if listing.nodes.count == 1 { return listing.nodes[0] }
    let ready = listing.nodes.filter(\.ready)
    return ready.count == 1 ? ready[0] : nil
  }

  static func finding(for error: EngineError) -> NodeProbe.Finding {
    switch error.cause {
    case .transport: return .unreachable
    case .microK8s(.stopped), .microK8s(.apiServerUnavailable): return .notReady
    case .microK8s(.insufficientPermissions), .microK8s(.sudoPasswordRequired),
      .microK8s(.needsRoot):
      return .notPermitted
    case .microK8s(.notInstalled): return .microK8sMissing
    // Anything else MicroK8s said: it is there, in a state not understood. Never taken
    // for missing, which would have it installed over.
    case .microK8s: return .notReady
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
