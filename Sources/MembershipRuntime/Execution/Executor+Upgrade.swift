import MembershipCore

/// The refresh step of an upgrade: `snap refresh` one minor version up, then a wait
/// until the node is Ready on it (and back in the datastore, for a control-plane node).
extension Executor {
  func refresh(
    _ step: Step,
    on host: NodeSpec,
    _ change: Change,
    _ index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    guard let channel = step.arguments.first(where: { $0.hasPrefix("--channel=") }),
      let target = Track.parse(String(channel.dropFirst("--channel=".count)))
    else { throw failure(.malformedStep("refresh needs a --channel")) }
    do throws(EngineError) {
      _ = try await engine.refresh(step.arguments, on: host)
    } catch {
      throw failure(.engine(error))
    }
    let watcher = upgradeWatcher(of: host, in: change)
    let mixed = host.role == .mixed
    let condition =
      "\(host.name) Ready on \(target.track)" + (mixed ? " and a datastore member" : "")
    report(.waiting(change: change, index: index, condition: condition))
    try await wait(change, index, condition, timeout: engine.topology.policy.readyTimeout) {
      () throws(EngineError) -> Bool in
      let node = try await engine.nodes(on: watcher).first { $0.name == host.name }
      guard let node, node.ready, let track = node.kubeletTrack,
        track.major == target.major, track.minor == target.minor
      else { return false }
      guard mixed, let address = host.address else { return true }
      return try await datastoreMembers(watcher)?.contains { $0.address == address } ?? false
    }
  }

  /// Before a control-plane node's refresh, which restarts its datastore.
  ///
  /// The other voters must keep a majority, as for a leave (`confirmVoterRemoval`). A lone voter has no
  /// majority to keep: the control plane pauses while it restarts, as it does in any
  /// cluster of one or two control-plane nodes.
  func confirmRestart(
    _ host: NodeSpec,
    _ change: Change,
    _ index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    guard host.role == .mixed, let address = host.address else { return }
    try await confirmVoterRemoval(
      of: address.description,
      leaving: true,
      restart: true,
      watcher: upgradeWatcher(of: host, in: change),
      failure: failure,
      report: report,
      change: change,
      index: index
    )
  }

  /// Where to watch an upgrade from: the node that cordons it, else another listed
  /// control-plane node, else the node itself (a cluster of one).
  private func upgradeWatcher(of host: NodeSpec, in change: Change) -> NodeSpec {
    if let step = change.steps.first(where: { $0.verb == .cordon || $0.verb == .uncordon }),
      step.host != host.name, let runner = node(named: step.host)
    {
      return runner
    }
    return watcher(excluding: host.name, in: change) ?? host
  }
}
