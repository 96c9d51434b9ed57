import ArgumentParser
import MembershipCore
import MembershipRuntime

/// What apply does before it asks: finish an interrupted join, observe and plan once
/// (checked against a saved plan), record the cluster's identity.
extension ApplyCommand {
  /// Finishes the wait of a join that an interrupted run began (`InterruptedJoin`);
  /// true when it waited, and the node is Ready now.
  func finishInterruptedJoin(
    _ interrupted: JournalEntry?,
    observed: ObservedCluster,
    _ engine: MicroK8sEngine,
    _ output: ApplyOutput
  ) async throws -> Bool {
    let result = await InterruptedJoin.finish(interrupted, observed: observed, engine: engine) {
      output.say("Finishing the interrupted join of \($0): waiting until it is Ready.\n")
    }
    switch result {
    case .nothingToFinish: return false
    case .finished: return true
    case .stillNotReady: break
    }
    guard case .stillNotReady(let node, let waited) = result else { return false }
    output.error(
      "\(node) joined in an interrupted run but is still not Ready after "
        + "\(ApplyProgress.format(waited)) (policy.readyTimeout); check the node "
        + "('microk8s inspect' on it) before running apply again."
    )
    throw ExitCode(1)
  }

  /// Observes and plans once, for the operator to confirm; with --plan, refuses when
  /// the cluster is no longer what the saved plan was made from.
  func firstPlan(
    _ engine: MicroK8sEngine,
    state: String,
    options: Planner.Options,
    saved: SavedPlanFile?,
    _ output: ApplyOutput
  ) async throws -> (Plan, ObservedCluster) {
    let observed = try await cluster.observe(
      through: engine,
      state: state,
      adopting: allowForeignTopology,
      changes: true
    ).cluster
    if let saved, saved.plan.observedFingerprint != observed.fingerprint {
      output.error(
        "the cluster has changed since the plan in \(saved.path) was made (observed "
          + "fingerprint \(observed.fingerprint.prefix(12)), the plan's "
          + "\(saved.plan.observedFingerprint.prefix(12))); nothing was changed. Make a new "
          + "plan."
      )
      throw ExitCode(1)
    }
    let plan = Planner.plan(
      desired: engine.topology,
      observed: observed,
      fingerprint: observed.fingerprint,
      options: options
    )
    if let saved {
      let differences = saved.plan.differences(from: plan)
      guard differences.isEmpty else {
        output.error(
          "the changes in \(saved.path) are not the plan its topology gives for the "
            + "cluster it was made for (edited by hand, or planned with other options such "
            + "as --allow-foreign-topology?); nothing was changed. Make a new plan.\n"
            + differences.map { "  " + $0 }.joined(separator: "\n")
        )
        throw ExitCode(1)
      }
    }
    return (plan, observed)
  }

  /// The cluster this apply takes as the file's is recorded, if none is yet: the one
  /// it found matching, or the one it is about to change.
  func adoptIdentity(_ observed: ObservedCluster, _ topology: Topology, state: String) {
    let record = IdentityRecord(stateDirectory: state, cluster: topology.cluster.name)
    if let problem = record.adopt(observed) {
      Terminal.write("warning: \(problem)\n", to: .standardError)
    }
  }
}
