import MembershipCore

/// The checks just before a step takes a voter out of the datastore, or starts a join.
///
/// The plan was made from an observation that can be stale in two ways real MicroK8s
/// hides from the node listing:
/// - after a shrink from three voters, two stay voters until the dqlite leader's next
///   role adjustment (go-dqlite `app/app.go`, every 30 s), and `leave` silences its own
///   k8s-dqlite before asking for its removal (`scripts/wrappers/leave.py`), so leaving
///   one of two leaves 1 of 2: no quorum, a frozen datastore;
/// - a voter that crashed keeps a Ready Node for 40-100 s (the node controller's
///   `node-monitor-grace-period`, 40 s, 50 s from Kubernetes 1.32, plus up to 60 s of
///   controller-manager lease), so Ready proves nothing about a voter just lost.
/// So the members are read again, a two-voter window is waited out, and every other
/// voter is reached through its own transport before the step runs.
extension Executor {
  /// `confirmVoterRemoval` for the steps that take a member out of the datastore (a
  /// leave, and a forced remove-node: without --force the node already left) or restart
  /// it (a refresh), the same check before the cordon that starts such a change, and
  /// `confirmQuorum` before the add-node that starts a join.
  func confirmSafeStep(
    _ step: Step,
    _ host: NodeSpec,
    _ change: Change,
    _ index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    switch step.verb {
    case .leave:
      guard let address = host.address, let watcher = watcher(excluding: host.name, in: change)
      else { return }
      try await confirmVoterRemoval(
        of: address.description,
        leaving: true,
        watcher: watcher,
        failure: failure,
        report: report,
        change: change,
        index: index
      )
    case .removeNode:
      guard step.arguments.contains("--force"), let target = step.arguments.first else { return }
      try await confirmVoterRemoval(
        of: target,
        leaving: false,
        watcher: host,
        failure: failure,
        report: report,
        change: change,
        index: index
      )
    case .addNode:
      try await confirmQuorum(on: host, failure: failure)
    case .refresh:
      try await confirmRestart(host, change, index, failure: failure, report: report)
    case .cordon:
      // The check the node's departure (or restart) gets, before it is drained for it.
      guard let target = step.arguments.first else { return }
      try await confirmDeparture(of: target, change, index, failure: failure, report: report)
    case .join, .drain, .uncordon, .install:
      return
    }
  }

  /// Waits out a two-voter window and confirms every other voter answers.
  ///
  /// Throws `unsafeStep`, the step not started, when the removal is unsafe. Does
  /// nothing when `target` (a name or an address) is not a voter, nor, for a `restart`
  /// (a refresh: the voter comes back), when it is the only one.
  func confirmVoterRemoval(
    of target: String,
    leaving: Bool,
    restart: Bool = false,
    watcher: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void,
    change: Change,
    index: Int
  ) async throws(ExecutionError) {
    guard let address = try await address(of: target, watcher: watcher, failure: failure) else {
      return
    }
    var members = try await currentMembers(watcher, failure: failure)
    guard isVoter(address, members) else { return }
    if restart, DatastoreModel.voters(in: members).count == 1 { return }
    var others = try await liveness(
      of: members,
      except: address,
      watcher: watcher,
      failure: failure
    )
    // Two voters, both answering: the leader will demote one at its next adjustment.
    // With one of them down there is no leader to do it, and nothing to wait for.
    if DatastoreModel.voters(in: members).count == 2, others.down.isEmpty {
      let condition = "the datastore leader's role adjustment (two voters now; it demotes one)"
      report(.waiting(change: change, index: index, condition: condition))
      let deadline = ContinuousClock.now + engine.topology.policy.leaveTimeout
      while DatastoreModel.voters(in: members).count == 2, isVoter(address, members) {
        guard ContinuousClock.now + pollInterval < deadline,
          (try? await Task.sleep(for: pollInterval)) != nil
        else { throw failure(.unsafeStep(DatastoreModel.RemovalProblem.twoVoters.description)) }
        members = try await currentMembers(watcher, failure: failure)
      }
      guard isVoter(address, members) else { return }
      others = try await liveness(of: members, except: address, watcher: watcher, failure: failure)
    }
    var live = others.live
    if leaving { live.insert(address) }
    guard let problem = DatastoreModel.removalProblem(of: address, from: members, live: live)
    else { return }
    var reason = problem.description
    if !others.down.isEmpty {
      reason += ". Voters that did not answer: " + others.down.joined(separator: ", ")
    }
    throw failure(.unsafeStep(reason))
  }

  /// Which voters other than `address` are alive.
  ///
  /// Each is reached through its own transport, or, for a voter the file does not list,
  /// judged by its kubelet's heartbeat. `down` names the others, for people.
  private func liveness(
    of members: [DatastoreMember],
    except address: NodeAddress,
    watcher: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) -> (live: Set<NodeAddress>, down: [String]) {
    var live = Set<NodeAddress>()
    var down: [String] = []
    for voter in DatastoreModel.voters(in: members) where voter != address {
      if let node = engine.topology.nodes.first(where: { $0.address == voter }) {
        if await answers(node) {
          live.insert(voter)
        } else {
          down.append("\(node.name) (\(voter))")
        }
        continue
      }
      // Not in the file, so no connection to reach it by: its kubelet's heartbeat.
      switch try await heartbeat(of: voter, watcher: watcher, failure: failure) {
      case .fresh: live.insert(voter)
      case .stale(let name): down.append("\(name) (\(voter), no heartbeat for 20 s)")
      case .none:
        down.append("\(voter) (not in the file, and no Node to read a heartbeat from)")
      }
    }
    return (live, down)
  }

  private enum Heartbeat {
    case fresh
    case stale(String)
    case none
  }

  /// Longest a live kubelet goes without renewing its Lease: two of its 10 s renewals.
  static let heartbeatFreshness = 20.0

  /// Whether the kubelet of the Node at `address` renewed its Lease within the last
  /// `heartbeatFreshness` seconds, by this machine's clock: a crashed node stops renewing
  /// at once, long before the node controller marks its Node.
  private func heartbeat(
    of address: NodeAddress,
    watcher: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) -> Heartbeat {
    do throws(EngineError) {
      let nodes = try await engine.nodes(on: watcher)
      guard let node = nodes.first(where: { $0.internalIP == address }) else { return .none }
      guard let renewed = try await engine.leaseRenewal(of: node.name, on: watcher) else {
        return .stale(node.name)
      }
      let age = UTCTimestamp.secondsSinceEpoch() - renewed
      return age <= Self.heartbeatFreshness ? .fresh : .stale(node.name)
    } catch {
      throw failure(.engine(error))
    }
  }

  /// Refuses a join while the cluster cannot take one.
  ///
  /// `status` on the node that mints the token reports ready only while its API server
  /// reads the datastore, which takes a dqlite leader, so a voter majority (upstream `scripts/wrappers/status.py`,
  /// `is_cluster_ready`). Without one the cluster agent still accepts a control-plane
  /// join, and the joiner wipes its data and exits 0 without ever getting in
  /// (canonical/microk8s #4555, #4584).
  func confirmQuorum(
    on contact: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) {
    let report: StatusReport
    do throws(EngineError) {
      report = try await engine.status(of: contact)
    } catch {
      throw failure(.engine(error))
    }
    guard case .running = report else {
      throw failure(
        .unsafeStep(
          "MicroK8s on \(contact.name) does not report ready just now, as when the datastore "
            + "has lost its voter majority; a join then wipes the joining node and never "
            + "finishes, so nothing is joined. Check 'microk8s status' on \(contact.name) and "
            + "that a majority of the datastore's voters is up, then apply again"
        )
      )
    }
  }

  /// Whether the node's MicroK8s answers `status` as running, through its own transport.
  private func answers(_ node: NodeSpec) async -> Bool {
    guard let report = try? await engine.status(of: node), case .running = report else {
      return false
    }
    return true
  }

  private func isVoter(_ address: NodeAddress, _ members: [DatastoreMember]) -> Bool {
    members.contains { $0.address == address && $0.role == .voter }
  }

  /// The members as `watcher` lists them now; a list it cannot give stops the step, as
  /// the removal's safety cannot be told without it.
  private func currentMembers(
    _ watcher: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) -> [DatastoreMember] {
    let members: [DatastoreMember]?
    do throws(EngineError) {
      members = try await datastoreMembers(watcher)
    } catch {
      throw failure(.engine(error))
    }
    guard let members else {
      throw failure(
        .unsafeStep(
          "\(watcher.name) lists no datastore members just now, so whether removing a voter "
            + "keeps the datastore's quorum cannot be told; apply again once it does"
        )
      )
    }
    return members
  }

  /// The datastore address `target` stands for: itself when it is one, else the listed
  /// node's address, else the InternalIP of the Node by that name (an unlisted member).
  private func address(
    of target: String,
    watcher: NodeSpec,
    failure: (ExecutionError.Cause) -> ExecutionError
  ) async throws(ExecutionError) -> NodeAddress? {
    if let address = NodeAddress.parse(target) { return address }
    if let address = node(named: target)?.address { return address }
    do throws(EngineError) {
      return try await engine.nodes(on: watcher).first { $0.name == target }?.internalIP
    } catch {
      throw failure(.engine(error))
    }
  }
}
