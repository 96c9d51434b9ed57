import MembershipCore

/// Installing MicroK8s on a bare host through its `snap` command, and waiting until it
/// is ready.
extension MicroK8sEngine {
  /// `snap install microk8s --classic --channel=C` (the step's `arguments` after
  /// `install`) on `node`, through its `snap` command (`NodeSpec.snapCommand`).
  ///
  /// Takes up to `policy.readyTimeout`: the snap is downloaded, then its services
  /// start. `.unchanged` when MicroK8s was installed already.
  public func install(
    _ arguments: [String],
    on node: NodeSpec
  ) async throws(EngineError) -> MicroK8sOutput.SnapOutcome {
    try await snap(["install"] + arguments, on: node)
  }

  /// `snap refresh microk8s --channel=C` on `node`: MicroK8s restarts on the new version.
  ///
  /// `arguments` are the step's, after `refresh`. `.unchanged` when it runs it already.
  public func refresh(
    _ arguments: [String],
    on node: NodeSpec
  ) async throws(EngineError) -> MicroK8sOutput.SnapOutcome {
    try await snap(["refresh"] + arguments, on: node)
  }

  private func snap(
    _ arguments: [String],
    on node: NodeSpec
  ) async throws(EngineError) -> MicroK8sOutput.SnapOutcome {
    let shown = (["snap"] + arguments).joined(separator: " ")
    let channel =
      arguments.first { $0.hasPrefix("--channel=") }.map { String($0.dropFirst(10)) } ?? "latest"
    guard let argv = TransportFactory.snap(arguments, on: node) else {
      throw EngineError(
        host: node.name,
        command: shown,
        cause: .microK8s(
          .malformed(
            what: "node \(node.name)'s snap command",
            problem: "none is set, and its microk8s command does not end in microk8s"
          )
        ),
        track: topology.cluster.version
      )
    }
    let output = try await run(
      argv,
      display: shown,
      on: node,
      timeout: topology.policy.readyTimeout
    )
    do {
      return try MicroK8sOutput.snap(output, channel: channel)
    } catch {
      throw EngineError(
        host: node.name,
        command: shown,
        cause: .microK8s(error),
        track: topology.cluster.version
      )
    }
  }

  /// `status --wait-ready --timeout N --format yaml` on `node`: returns once MicroK8s
  /// there is ready, or after `timeout` with what status says then.
  public func waitReady(
    _ node: NodeSpec,
    timeout: Duration
  ) async throws(EngineError) -> StatusReport {
    let seconds = max(1, timeout.components.seconds)
    let arguments = ["status", "--wait-ready", "--timeout", String(seconds), "--format", "yaml"]
    let output = try await run(
      arguments,
      on: node,
      timeout: .seconds(seconds) + timeouts.observe
    )
    return try parse(output, node, arguments) { output throws(MicroK8sFailure) in
      try MicroK8sOutput.status(output)
    }
  }
}
