import MembershipCore
import Testing

@testable import MembershipRuntime

/// Every fault of the simulator's catalogue (`microk8s-sim faults`), injected where the
/// engine will meet it, must come back as the typed failure that names what to do, with
/// no join token in any message.
@Suite("MicroK8s engine: every failure of the catalogue")
struct EngineFaultTests {
  /// Which engine call meets the fault.
  enum Call: String, Sendable {
    case status, nodes, version, mint, join, firstJoin, joinWorker, leave, leaveWorker
    case removeNode, removeForce
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var fault: String
    var verb: String
    var call: Call
    /// The failure expected, by its case name as `String(describing:)` starts.
    var expected: String
    var testDescription: String { "\(fault) on \(call.rawValue) → \(expected)" }
  }

  static let cases: [Case] = [
    Case(fault: "not-installed", verb: "any", call: .status, expected: "notInstalled"),
    Case(fault: "not-installed", verb: "any", call: .version, expected: "notInstalled"),
    Case(
      fault: "permission-denied",
      verb: "status",
      call: .status,
      expected: "insufficientPermissions"
    ),
    Case(
      fault: "permission-denied",
      verb: "add-node",
      call: .mint,
      expected: "insufficientPermissions"
    ),
    Case(fault: "stopped", verb: "kubectl", call: .nodes, expected: "stopped"),
    Case(fault: "stopped", verb: "add-node", call: .mint, expected: "stopped"),
    Case(fault: "needs-sudo", verb: "add-node", call: .mint, expected: "needsRoot"),
    Case(
      fault: "add-node-fresh-install-required",
      verb: "add-node",
      call: .mint,
      expected: "freshInstallRequired"
    ),
    Case(
      fault: "add-node-utility-failure",
      verb: "add-node",
      call: .mint,
      expected: "utilityFailed"
    ),
    Case(fault: "join-agent-unreachable", verb: "join", call: .join, expected: "agentUnreachable"),
    Case(fault: "join-agent-timeout", verb: "join", call: .join, expected: "agentUnreachable"),
    Case(
      fault: "join-fingerprint-mismatch",
      verb: "join",
      call: .join,
      expected: "fingerprintMismatch"
    ),
    Case(fault: "join-ssl-error", verb: "join", call: .join, expected: "agentConnectionFailed"),
    Case(
      fault: "join-http-exception",
      verb: "join",
      call: .join,
      expected: "agentConnectionFailed"
    ),
    Case(fault: "join-invalid-token", verb: "join", call: .join, expected: "invalidToken"),
    Case(fault: "join-not-ha", verb: "join", call: .join, expected: "notHighAvailability"),
    Case(
      fault: "join-agent-port-mismatch",
      verb: "join",
      call: .join,
      expected: "agentPortMismatch"
    ),
    Case(fault: "join-same-ip", verb: "join", call: .join, expected: "joiningItself"),
    Case(
      fault: "join-hostname-unresolvable",
      verb: "join",
      call: .join,
      expected: "hostnameDoesNotResolve"
    ),
    Case(
      fault: "join-already-known",
      verb: "join",
      call: .join,
      expected: "alreadyKnownToDatastore"
    ),
    Case(
      fault: "join-dqlite-bind-address",
      verb: "join",
      call: .firstJoin,
      expected: "datastoreBindAddressNotFound"
    ),
    // MicroK8s's answer is "update MicroK8s to 1.28 or newer" (contract §3.4 row 8).
    Case(fault: "join-custom-etcd", verb: "join", call: .join, expected: "versionMismatch"),
    Case(
      fault: "join-sign-cert-failure",
      verb: "join",
      call: .joinWorker,
      expected: "certificateSigningFailed"
    ),
    Case(fault: "leave-only-voter", verb: "leave", call: .leave, expected: "onlyVoter"),
    Case(fault: "leave-not-clustered", verb: "leave", call: .leave, expected: "notClustered"),
    Case(
      fault: "leave-dqlite-remove-failed",
      verb: "leave",
      call: .leave,
      expected: "datastoreRemovalFailed"
    ),
    Case(
      fault: "leave-not-in-clustering-mode",
      verb: "leave",
      call: .leaveWorker,
      expected: "notClustered"
    ),
    Case(
      fault: "remove-node-no-internal-ip",
      verb: "remove-node",
      call: .removeNode,
      expected: "notPartOfCluster"
    ),
    Case(
      fault: "remove-node-dqlite-remove-failed",
      verb: "remove-node",
      call: .removeForce,
      expected: "datastoreRemovalFailed"
    ),
    Case(
      fault: "kubectl-api-unavailable",
      verb: "kubectl",
      call: .nodes,
      expected: "apiServerUnavailable"
    ),
  ]

  @Test("each fault is the failure that says what to do", arguments: cases)
  func fault(_ testCase: Case) async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      // node2 is a member (and worker1, to leave as a worker), so leave and remove-node
      // have something to act on; the join faults go on the joining host.
      if testCase.call != .firstJoin { try await world.join(engine, "node2", to: "node1") }
      if testCase.call == .leaveWorker { try await world.join(engine, "worker1", to: "node1") }
      let host: String
      switch testCase.call {
      case .join: host = "192.168.1.12"
      case .firstJoin, .leave: host = "192.168.1.11"
      case .joinWorker, .leaveWorker: host = "192.168.1.20"
      default: host = "192.168.1.10"
      }
      try await world.admin(["fault", host, testCase.verb, testCase.fault])
      let token = JoinToken()
      let cast = try Cast(nodes)
      do throws(EngineError) {
        try await Self.perform(testCase.call, engine, cast, token)
        Issue.record("\(testCase.fault): the call succeeded")
      } catch {
        let failure = error.failure.map(\.caseName) ?? "\(error.cause)"
        #expect(failure.hasPrefix(testCase.expected), "\(testCase.fault): got \(failure)")
        #expect(!error.description.contains(token.secret), "the token leaked: \(error)")
        #expect(error.description.hasPrefix(nodeName(host, nodes) + ": '"), "\(error)")
        let remedy = error.failure?.remedy(track: engine.topology.cluster.version) ?? ""
        #expect(!remedy.isEmpty, "\(testCase.fault): no remedy")
      }
    }
  }

  private func nodeName(_ address: String, _ nodes: [String: NodeSpec]) -> String {
    nodes.values.first { $0.address?.description == address }?.name ?? address
  }

  /// The nodes a call acts on, looked up once.
  struct Cast {
    var node1, node2, node3, worker1: NodeSpec
    var contact: NodeAddress

    init(_ nodes: [String: NodeSpec]) throws {
      node1 = try #require(nodes["node1"])
      node2 = try #require(nodes["node2"])
      node3 = try #require(nodes["node3"])
      worker1 = try #require(nodes["worker1"])
      contact = try #require(node1.address)
    }
  }

  static func perform(
    _ call: Call,
    _ engine: MicroK8sEngine,
    _ cast: Cast,
    _ token: JoinToken
  ) async throws(EngineError) {
    switch call {
    case .status: _ = try await engine.status(of: cast.node1)
    case .nodes: _ = try await engine.nodes(on: cast.node1)
    case .version: _ = try await engine.version(of: cast.node1)
    case .mint: _ = try await engine.mintToken(token, ttl: .seconds(600), on: cast.node1)
    case .join, .firstJoin, .joinWorker:
      let joiner = call == .join ? cast.node3 : call == .firstJoin ? cast.node2 : cast.worker1
      let fingerprint = try await engine.mintToken(token, ttl: .seconds(600), on: cast.node1)
      _ = try await engine.join(
        joiner,
        contact: cast.contact,
        token: token,
        fingerprint: fingerprint,
        asWorker: call == .joinWorker
      )
    case .leave: try await engine.leave(cast.node2)
    case .leaveWorker: try await engine.leave(cast.worker1)
    case .removeNode: _ = try await engine.removeNode("node2", force: false, on: cast.node1)
    case .removeForce: _ = try await engine.removeNode("node2", force: true, on: cast.node1)
    }
  }

  @Test("faults that are not failures: status not ready or stopped, a hostpath warning")
  func nonFailures() async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      try await world.admin(["fault", "192.168.1.10", "status", "status-not-ready"])
      let notReady = try await engine.status(of: nodes["node1"]!)
      guard case .notRunning = notReady else {
        Issue.record("status-not-ready gave \(notReady)")
        return
      }
      try await world.admin(["fault", "192.168.1.10", "status", "stopped"])
      #expect(try await engine.status(of: nodes["node1"]!) == .stopped)
      try await world.admin(["fault", "192.168.1.11", "join", "join-hostpath-warning"])
      try await world.join(engine, "node2", to: "node1")
      let members = try await engine.status(of: nodes["node1"]!).datastore?.members ?? []
      #expect(members.count == 2, "the warning is not fatal: node2 joined")
    }
  }

  @Test("remove-node-api-unavailable: kubectl's error wins over 'does not exist'")
  func removeNodeAPIUnavailable() async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      try await world.join(engine, "worker1", to: "node1")
      let node1 = try #require(nodes["node1"])
      try await world.admin(["fault", "192.168.1.10", "remove-node", "remove-node-api-unavailable"])
      // MicroK8s then also prints "does not exist" (contract section 5, pitfall 12);
      // reading that as "gone" would be wrong, so the API failure is what comes back.
      do throws(EngineError) {
        _ = try await engine.removeNode("worker1", force: false, on: node1)
        Issue.record("remove-node with the API down read as a success")
      } catch {
        #expect(error.failure.map(\.caseName) == "apiServerUnavailable", "\(error)")
        #expect(error.isTransient)
      }
      let listed = try await engine.nodes(on: node1)
      #expect(listed.contains { $0.name == "worker1" })
    }
  }

  @Test("join-silent-timeout: exit 0 and the success text, yet not joined")
  func silentTimeout() async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      try await world.admin(["fault", "192.168.1.11", "join", "join-silent-timeout"])
      try await world.join(engine, "node2", to: "node1")
      let listed = try await engine.nodes(on: nodes["node1"]!)
      #expect(listed.map(\.name) == ["node1"], "exit 0 from join is not proof (contract §3.3)")
    }
  }

  @Test("ssh-unreachable: exit 255 is an unreachable host, transient")
  func sshUnreachable() async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      try await world.admin(["fault", "192.168.1.10", "any", "ssh-unreachable"])
      do throws(EngineError) {
        _ = try await engine.status(of: nodes["node1"]!)
        Issue.record("an unreachable host answered")
      } catch {
        #expect(error.isUnreachable && error.isTransient)
      }
    }
  }
}
