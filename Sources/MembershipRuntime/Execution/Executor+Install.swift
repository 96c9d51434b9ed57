import MembershipCore

/// The install step: `snap install` on a bare host, a wait until MicroK8s is ready, and
/// the checks that decide whether the node can go on to join.
extension Executor {
  func install(
    _ step: Step,
    on host: NodeSpec,
    _ change: Change,
    _ index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    guard host.snapCommand != nil else {
      throw failure(
        .malformedStep(
          "\(host.name) has no snap command: set its 'snap:' (its microk8s command does not "
            + "end in microk8s)"
        )
      )
    }
    do throws(EngineError) {
      _ = try await engine.install(step.arguments, on: host)
    } catch {
      throw failure(.engine(error))
    }
    let condition = "MicroK8s on \(host.name) ready"
    report(.waiting(change: change, index: index, condition: condition))
    let timeout = engine.topology.policy.readyTimeout
    let status: StatusReport
    do throws(EngineError) {
      status = try await engine.waitReady(host, timeout: timeout)
    } catch {
      // The install hook set the low-memory guard: no control plane here, ever
      // (upstream snap/hooks/install; scripts/wrappers/join.py lets a worker join).
      guard error.failure == .lowMemory else { throw failure(.engine(error)) }
      guard change.role == .worker else {
        throw failure(
          .prerequisite(
            "MicroK8s is installed on \(host.name), but the host has 512 MiB of RAM or less, "
              + "so its low-memory guard keeps the control plane off and it cannot join the "
              + "datastore; make it 'role: worker' in the file (see "
              + "\(BehaviourSection.lowMemoryGuard.citation))"
          )
        )
      }
      return
    }
    guard case .running = status else {
      throw failure(.notObserved(condition: condition, after: timeout, lastProblem: nil))
    }
    try await confirmName(host, failure: failure)
  }

  /// The fresh MicroK8s registered its Node under the machine's hostname: a name other
  /// than the file's stops the change before the join, which would bring it in under
  /// that other name.
  private func confirmName(
    _ host: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) {
    let names: [String]
    do throws(EngineError) {
      names = try await engine.nodes(on: host).map(\.name)
    } catch {
      throw failure(.engine(error))
    }
    guard !names.contains(host.name), let registered = names.first else { return }
    throw failure(
      .prerequisite(
        "MicroK8s is installed on \(host.name), but the host is named \(registered) (its "
          + "node registered as \(registered)), so it would join as \(registered), not "
          + "\(host.name). On it run: sudo hostnamectl set-hostname \(host.name) && sudo snap "
          + "restart microk8s; or name it \(registered) in the file (see "
          + "\(BehaviourSection.duplicateHostnames.citation))"
      )
    )
  }
}
