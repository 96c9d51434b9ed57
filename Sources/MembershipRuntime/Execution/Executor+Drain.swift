import MembershipCore

/// cordon, drain and uncordon steps, and the uncordon that undoes a cordon when the
/// change stops before its node leaves.
extension Executor {
  /// Runs a `cordon`, `drain` or `uncordon` step on `runner` (the node whose kubectl
  /// acts), the node being its first argument.
  func maintain(
    _ step: Step,
    on runner: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) {
    guard let target = step.arguments.first,
      [.cordon, .drain, .uncordon].contains(step.verb)
    else {
      throw failure(.malformedStep("\(step.verb.rawValue) is not maintenance of a named node"))
    }
    do throws(EngineError) {
      switch step.verb {
      case .cordon: try await engine.cordon(target, on: runner)
      case .drain: try await engine.drain(target, on: runner, timeout: drainTimeout(of: step))
      default: try await engine.uncordon(target, on: runner)
      }
    } catch {
      throw failure(.engine(error))
    }
  }

  /// The step's `--timeout=Ns`: the plan is what was approved, so its value rules, and
  /// the policy's only stands in for a step written without one.
  private func drainTimeout(of step: Step) -> Duration {
    let prefix = "--timeout="
    if let argument = step.arguments.first(where: { $0.hasPrefix(prefix) }),
      argument.hasSuffix("s"),
      let seconds = Int64(argument.dropFirst(prefix.count).dropLast()), seconds > 0
    {
      return .seconds(seconds)
    }
    return engine.topology.policy.drainTimeout
  }

  /// Before a cordon: the check the step that takes the node out will get, so that a
  /// node whose leave is unsafe is refused before it is cordoned and drained for nothing.
  func confirmDeparture(
    of node: String,
    _ change: Change,
    _ index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    guard
      let departure = change.steps.first(where: {
        takesOut($0, node) || ($0.verb == .refresh && $0.host == node)
      }),
      let host = self.node(named: departure.host)
    else { return }
    try await confirmSafeStep(departure, host, change, index, failure: failure, report: report)
  }

  /// Whether `step` takes `node` out of the cluster: after it, an uncordon has nothing
  /// to undo (remove-node deletes the Node, and a rejoined node registers afresh).
  func takesOut(_ step: Step, _ node: String) -> Bool {
    (step.verb == .leave && step.host == node)
      || (step.verb == .removeNode && step.arguments.first == node)
  }

  /// `error`, after uncordoning `node` on `runner`: the change stopped with the node
  /// still in the cluster, and it must not be left refusing pods (nothing half done).
  ///
  /// Run in a task of its own, so that it is not cut short when the change was.
  func restoring(
    _ error: ExecutionError,
    uncordon node: String,
    on runner: NodeSpec
  ) async -> ExecutionError {
    let engine = self.engine
    let outcome = await Task { () async -> EngineError? in
      do throws(EngineError) {
        try await engine.uncordon(node, on: runner)
        return nil
      } catch {
        return error
      }
    }.value
    var restored = error
    restored.restoration = outcome.map { .stillCordoned(node, $0) } ?? .uncordoned(node)
    return restored
  }
}
