import MembershipCore

/// Node maintenance through kubectl on a control-plane node: cordon, drain, uncordon.
extension MicroK8sEngine {
  /// `kubectl cordon NAME` on `contact`: no new pod goes to the node.
  public func cordon(_ name: String, on contact: NodeSpec) async throws(EngineError) {
    try await maintenance("cordon", name, on: contact)
  }

  /// `kubectl uncordon NAME` on `contact`.
  public func uncordon(_ name: String, on contact: NodeSpec) async throws(EngineError) {
    try await maintenance("uncordon", name, on: contact)
  }

  /// `kubectl drain NAME --ignore-daemonsets --delete-emptydir-data --timeout=Ns` on
  /// `contact`: cordons the node and evicts its pods, honouring disruption budgets.
  ///
  /// Pods without a controller are not forced away (no `--force`): they are refused, and
  /// the refusal names them (`MicroK8sFailure.drainRefused`). kubectl retries a refused
  /// eviction every 5 s and notices its timeout only at the next try, so the command may
  /// run up to 5 s past `timeout`.
  public func drain(
    _ name: String,
    on contact: NodeSpec,
    timeout: Duration
  ) async throws(EngineError) {
    let seconds = max(1, timeout.components.seconds)
    let arguments = [
      "kubectl", "drain", name, "--ignore-daemonsets", "--delete-emptydir-data",
      "--timeout=\(seconds)s",
    ]
    let output = try await run(
      arguments,
      on: contact,
      timeout: .seconds(seconds) + .seconds(5) + timeouts.observe
    )
    do {
      try MicroK8sOutput.drain(output, node: name)
    } catch .drainRefused(let node, var refusal) {
      // Which budgets refused: read only now, and only when one did (two commands).
      if !refusal.refusedEvictions.isEmpty {
        refusal.budgets = await blockingBudgets(
          of: refusal.refusedEvictions,
          node: name,
          on: contact
        )
      }
      throw error(contact, arguments, .microK8s(.drainRefused(node: node, refusal)))
    } catch {
      throw self.error(contact, arguments, .microK8s(error))
    }
  }

  /// The budgets selecting `pods`; empty when they cannot be read (the refusal itself is
  /// what matters, and it is reported either way).
  private func blockingBudgets(
    of pods: [String],
    node: String,
    on contact: NodeSpec
  ) async -> [String] {
    let budgetArguments = ["kubectl", "get", "pdb", "-A", "-o", "json"]
    let podArguments = [
      "kubectl", "get", "pods", "-A", "--field-selector", "spec.nodeName=\(node)", "-o", "json",
    ]
    guard let budgets = try? await run(budgetArguments, on: contact, timeout: timeouts.observe),
      let listed = try? await run(podArguments, on: contact, timeout: timeouts.observe)
    else { return [] }
    return (try? MicroK8sOutput.blockingBudgets(of: pods, budgets: budgets, pods: listed)) ?? []
  }

  private func maintenance(
    _ verb: String,
    _ name: String,
    on contact: NodeSpec
  ) async throws(EngineError) {
    let arguments = ["kubectl", verb, name]
    let output = try await run(arguments, on: contact, timeout: timeouts.observe)
    try parse(output, contact, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.nodeMaintenance(output, node: name)
    }
  }
}
