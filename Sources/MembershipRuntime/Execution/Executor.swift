import MembershipCore

/// Carries out one `Change`, step by step, and waits after each until the cluster shows
/// the step's effect (DESIGN.md section 5): exit 0 is not proof, only observation is
/// (microk8s-contract.md section 3.3).
///
/// - add-node + join: a fresh token for every attempt (a failed join burns it, contract
///   section 3.4), then wait until the node is Ready and, for a mixed node, a datastore
///   member;
/// - leave: wait until the node's address has left the datastore;
/// - remove-node: wait until the node is gone (for a ghost's IP: its datastore entry);
/// - cordon, drain, uncordon: kubectl's own exit is the proof (drain waits for its
///   evictions); a change that stops after its cordon, before its node left, uncordons
///   the node again.
public struct Executor: Sendable {
  public let engine: MicroK8sEngine
  /// How often a wait asks the cluster again.
  public var pollInterval: Duration = .seconds(1)

  public init(engine: MicroK8sEngine) {
    self.engine = engine
  }

  /// The token and fingerprint an add-node step made, for the join step after it.
  private struct Minted {
    var token: JoinToken
    var fingerprint: String
    var contact: NodeSpec
  }

  public func execute(
    _ change: Change,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    var minted: Minted?
    // The node this change cordoned and the runner that did, until the node leaves.
    var cordoned: (node: String, runner: NodeSpec)?
    let clock = ContinuousClock()
    do throws(ExecutionError) {
      for (offset, step) in change.steps.enumerated() {
        let index = offset + 1
        func failure(_ cause: ExecutionError.Cause) -> ExecutionError {
          ExecutionError(change: change, stepIndex: index, step: step, cause: cause)
        }
        guard let host = node(named: step.host) else { throw failure(.unknownHost(step.host)) }
        // Checked before the step is reported started: a refusal leaves it not begun.
        try await confirmSafeStep(step, host, change, index, failure: failure, report: report)
        report(.stepStarted(change: change, index: index, step: step))
        let start = clock.now
        /// An engine call, its failure made this step's.
        func run<Value>(
          _ body: () async throws(EngineError) -> Value
        ) async throws(ExecutionError) -> Value {
          do throws(EngineError) {
            return try await body()
          } catch {
            throw failure(.engine(error))
          }
        }
        switch step.verb {
        case .addNode:
          let (token, fingerprint) = try await run { () throws(EngineError) in
            try await freshToken(on: host)
          }
          minted = Minted(token: token, fingerprint: fingerprint, contact: host)
        case .join:
          guard let current = minted, let contactAddress = current.contact.address else {
            throw failure(.malformedStep("a join needs the add-node step before it"))
          }
          minted = nil
          try await join(
            host,
            contact: current.contact,
            at: contactAddress,
            first: (current.token, current.fingerprint),
            worker: step.arguments.contains("--worker"),
            change: change,
            index: index,
            failure: failure,
            report: report
          )
          try await waitForJoin(change, index, host, watcher: current.contact, report)
        case .leave:
          do throws(EngineError) {
            try await engine.leave(host)
          } catch {
            // Not in a cluster any more (an earlier run's leave went through): the goal
            // of this step holds, and remove-node clears what is left.
            guard error.failure == .notClustered else { throw failure(.engine(error)) }
          }
          try await waitForLeave(change, index, host, report)
        case .removeNode:
          guard let target = step.arguments.first else {
            throw failure(.malformedStep("remove-node needs a node"))
          }
          let force = step.arguments.contains("--force")
          _ = try await run { () throws(EngineError) in
            try await engine.removeNode(target, force: force, on: host)
          }
          try await waitForRemoval(change, index, target, on: host, report)
        case .install:
          try await install(step, on: host, change, index, failure: failure, report: report)
        case .refresh:
          try await refresh(step, on: host, change, index, failure: failure, report: report)
        case .cordon, .drain, .uncordon:
          try await maintain(step, on: host, failure: failure)
          if step.verb == .cordon, let target = step.arguments.first {
            cordoned = (target, host)
          }
        }
        if let node = cordoned?.node, takesOut(step, node) { cordoned = nil }
        report(.stepFinished(change: change, index: index, elapsed: clock.now - start))
      }
    } catch {
      guard let cordoned else { throw error }
      throw await restoring(error, uncordon: cordoned.node, on: cordoned.runner)
    }
  }

  /// A new join token minted on `contact` (add-node), with the fingerprint of the
  /// certificate it has now: a failed join burns a token (contract section 3.4).
  func freshToken(on contact: NodeSpec) async throws(EngineError) -> (JoinToken, String) {
    let token = JoinToken()
    let fingerprint = try await engine.mintToken(
      token,
      ttl: engine.topology.policy.tokenTTL,
      on: contact
    )
    return (token, fingerprint)
  }

  func node(named name: String) -> NodeSpec? {
    engine.topology.nodes.first { $0.name == name }
  }

  // MARK: Waits

  private func waitForJoin(
    _ change: Change,
    _ index: Int,
    _ node: NodeSpec,
    watcher: NodeSpec,
    _ report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    let mixed = change.role == .mixed
    let condition =
      mixed ? "\(node.name) Ready and a datastore member" : "\(node.name) Ready"
    report(.waiting(change: change, index: index, condition: condition))
    let timeout = engine.topology.policy.readyTimeout
    let deadline = ContinuousClock.now + timeout
    try await wait(change, index, condition, timeout: timeout) { () throws(EngineError) -> Bool in
      try await isJoined(node, mixed: mixed, watcher: watcher, until: deadline)
    }
  }

  /// Whether `node` is Ready and, when `mixed`, a datastore member, as `watcher` sees it.
  ///
  /// `kubectl wait` answers the moment the node is Ready (up to `deadline`): polling
  /// would overshoot by up to a poll interval on every join.
  private func isJoined(
    _ node: NodeSpec,
    mixed: Bool,
    watcher: NodeSpec,
    until deadline: ContinuousClock.Instant
  ) async throws(EngineError) -> Bool {
    let left = deadline - ContinuousClock.now
    guard left > .zero, try await engine.waitUntilReady(node.name, on: watcher, timeout: left)
    else { return false }
    guard mixed, let address = node.address else { return true }
    return try await datastoreMembers(watcher)?.contains { $0.address == address } ?? false
  }

  /// The datastore members `watcher` lists; nil when it lists none, which proves
  /// nothing (status gave up asking dqlite, contract section 6).
  func datastoreMembers(_ watcher: NodeSpec) async throws(EngineError) -> [DatastoreMember]? {
    guard let members = try await engine.status(of: watcher).datastore?.members,
      !members.isEmpty
    else { return nil }
    return members
  }

  private func waitForLeave(
    _ change: Change,
    _ index: Int,
    _ node: NodeSpec,
    _ report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    // A worker is never in the datastore; nothing to wait for.
    guard let address = node.address, let watcher = watcher(excluding: node.name, in: change)
    else { return }
    let condition = "\(node.name) out of the datastore"
    report(.waiting(change: change, index: index, condition: condition))
    try await wait(change, index, condition, timeout: engine.topology.policy.leaveTimeout) {
      () throws(EngineError) -> Bool in
      try await datastoreMembers(watcher).map { !$0.contains { $0.address == address } } ?? false
    }
  }

  private func waitForRemoval(
    _ change: Change,
    _ index: Int,
    _ target: String,
    on runner: NodeSpec,
    _ report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    let timeout = engine.topology.policy.leaveTimeout
    if let address = NodeAddress.parse(target) {
      let condition = "no datastore member at \(address)"
      report(.waiting(change: change, index: index, condition: condition))
      try await wait(change, index, condition, timeout: timeout) { () throws(EngineError) -> Bool in
        try await datastoreMembers(runner).map { !$0.contains { $0.address == address } } ?? false
      }
      return
    }
    let condition = "node \(target) gone from the cluster"
    report(.waiting(change: change, index: index, condition: condition))
    try await wait(change, index, condition, timeout: timeout) { () throws(EngineError) -> Bool in
      !(try await engine.nodes(on: runner)).contains { $0.name == target }
    }
  }

  /// Waits until a node that joined is Ready and, for a mixed node, a datastore member.
  ///
  /// The end of a join step, for a join whose run was interrupted. False when
  /// `policy.readyTimeout` passes first.
  public func awaitJoined(_ node: NodeSpec, watcher: NodeSpec) async -> Bool {
    let deadline = ContinuousClock.now + engine.topology.policy.readyTimeout
    while ContinuousClock.now < deadline {
      let joined = try? await isJoined(
        node,
        mixed: node.role == .mixed,
        watcher: watcher,
        until: deadline
      )
      if joined == true { return true }
      try? await Task.sleep(for: pollInterval)
    }
    return false
  }

  /// Where to watch a leave from: the node that runs the change's remove-node, else
  /// another listed control-plane node.
  func watcher(excluding name: String, in change: Change) -> NodeSpec? {
    if let step = change.steps.first(where: { $0.verb == .removeNode }),
      step.host != name, let runner = node(named: step.host)
    {
      return runner
    }
    return engine.topology.nodes.first { $0.role == .mixed && $0.name != name }
  }

  /// Polls `check` until it is true or `timeout` passes.
  ///
  /// A failing check (an API blip while the datastore rebinds, contract section 11
  /// pitfall 16) is not the end: it is asked again, and the last problem is reported if
  /// time runs out.
  func wait(
    _ change: Change,
    _ index: Int,
    _ condition: String,
    timeout: Duration,
    _ check: () async throws(EngineError) -> Bool
  ) async throws(ExecutionError) {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var lastProblem: EngineError?
    while true {
      do throws(EngineError) {
        if try await check() { return }
        lastProblem = nil
      } catch {
        lastProblem = error
      }
      // Out of time, or cancelled: report what is known rather than wait on.
      guard clock.now + pollInterval < deadline, (try? await Task.sleep(for: pollInterval)) != nil
      else {
        throw ExecutionError(
          change: change,
          stepIndex: index,
          step: change.steps[index - 1],
          cause: .notObserved(condition: condition, after: timeout, lastProblem: lastProblem)
        )
      }
    }
  }
}
