import MembershipCore

/// The wait of a join that a killed run began, finished by the next run.
///
/// A run killed while a join waited leaves a member that is not Ready yet: no plan
/// would touch it, so the wait the join began is finished before anything else
/// (DESIGN.md section 5: a join is done when the node is Ready and, for a mixed node, a
/// datastore member). `apply` and `reconcile` both do this.
public enum InterruptedJoin {
  public enum Result: Sendable, Equatable {
    /// The journal names no join, or its node is not a member that waits.
    case nothingToFinish
    /// The node is Ready now.
    case finished(node: String)
    /// The node is still not Ready after `policy.readyTimeout`.
    case stillNotReady(node: String, waited: Duration)
  }

  /// Waits for the node the journal's join left behind, if any; `announce` is called
  /// before a wait begins.
  public static func finish(
    _ interrupted: JournalEntry?,
    observed: ObservedCluster,
    engine: MicroK8sEngine,
    announce: (String) -> Void
  ) async -> Result {
    guard let interrupted, interrupted.verb == Step.Verb.join.rawValue,
      let node = engine.topology.nodes.first(where: { $0.name == interrupted.node }),
      observed.nodes.contains(where: { $0.name == node.name && !$0.ready }),
      let contact = observed.contact,
      let watcher = engine.topology.nodes.first(where: { $0.name == contact })
    else { return .nothingToFinish }
    announce(node.name)
    guard await Executor(engine: engine).awaitJoined(node, watcher: watcher) else {
      return .stillNotReady(node: node.name, waited: engine.topology.policy.readyTimeout)
    }
    return .finished(node: node.name)
  }
}
