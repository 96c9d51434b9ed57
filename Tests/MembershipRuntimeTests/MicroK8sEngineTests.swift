import MembershipCore
import Testing

@testable import MembershipRuntime

/// The engine against `microk8s-sim`: each command's arguments, what it parses, and
/// every failure of the simulator's catalogue mapped to the error a person can act on.
@Suite("MicroK8s engine against the simulator")
struct MicroK8sEngineTests {
  static let hosts = [
    "192.168.1.10=node1", "192.168.1.11=node2", "192.168.1.12=node3", "192.168.1.20=worker1",
  ]
  static let nodes = [
    "node1@192.168.1.10", "node2@192.168.1.11", "node3@192.168.1.12", "worker1@192.168.1.20:worker",
  ]

  static func with(
    _ body: (SimulatedWorld, MicroK8sEngine, [String: NodeSpec]) async throws -> Void
  ) async throws {
    try await SimulatedWorld.with(hosts) { world in
      let engine = MicroK8sEngine(topology: world.topology(nodes)) { LocalTransport(host: $0.name) }
      let byName = Dictionary(uniqueKeysWithValues: engine.topology.nodes.map { ($0.name, $0) })
      try await body(world, engine, byName)
    }
  }

  @Test("a fresh node: running, its datastore on 127.0.0.1, the version's track")
  func freshNode() async throws {
    try await Self.with { _, engine, nodes in
      let status = try await engine.status(of: nodes["node1"]!)
      guard case .running(let datastore) = status else {
        Issue.record("expected running, got \(status)")
        return
      }
      #expect(datastore.isLoopbackOnly)
      let version = try await engine.version(of: nodes["node1"]!)
      #expect(version.track == Track(major: 1, minor: 28))
      #expect(version.version.hasPrefix("v1.28."))
      let listed = try await engine.nodes(on: nodes["node1"]!)
      #expect(listed.map(\.name) == ["node1"])
      #expect(engine.commandsRun == 3)
    }
  }

  @Test("mint, join, leave, remove-node: the cluster grows and shrinks")
  func lifecycle() async throws {
    try await Self.with { world, engine, nodes in
      try await world.join(engine, "node2", to: "node1")
      try await world.join(engine, "worker1", to: "node1")
      let members = try await engine.status(of: nodes["node1"]!).datastore?.members ?? []
      #expect(members.map(\.address.description) == ["192.168.1.10", "192.168.1.11"])
      #expect(members.map(\.role) == [.voter, .spare])
      let listed = try await engine.nodes(on: nodes["node1"]!)
      #expect(Set(listed.map(\.name)) == ["node1", "node2", "worker1"])
      #expect(listed.first { $0.name == "worker1" }?.role == .worker)
      #expect(try await engine.status(of: nodes["worker1"]!) == .worker)

      try await engine.leave(nodes["node2"]!)
      #expect(try await engine.removeNode("node2", force: false, on: nodes["node1"]!) == .removed)
      let after = try await engine.nodes(on: nodes["node1"]!)
      #expect(Set(after.map(\.name)) == ["node1", "worker1"])
    }
  }

  @Test("a ghost: remove-node IP --force exits 1, yet the entry is gone")
  func ghostCleanup() async throws {
    try await Self.with { world, engine, nodes in
      try await world.join(engine, "node2", to: "node1")
      // node2 dies for good: its Node object is deleted by hand, its dqlite entry stays.
      try await world.admin(["host", "192.168.1.11", "down"])
      _ = try await world.microk8s("192.168.1.10", ["kubectl", "delete", "node", "node2"])
      let outcome = try await engine.removeNode("192.168.1.11", force: true, on: nodes["node1"]!)
      #expect(outcome == .notInKubernetes(removedDatastoreEntry: true))
      let members = try await engine.status(of: nodes["node1"]!).datastore?.members ?? []
      #expect(members.map(\.address.description) == ["192.168.1.10"])
    }
  }

  @Test("remove-node on a datastore without a leader is an outage, not a node already gone")
  func removeNodeWithoutLeader() async throws {
    try await Self.with { world, engine, nodes in
      try await world.join(engine, "node2", to: "node1")
      try await world.join(engine, "node3", to: "node1")
      try await world.admin(["host", "192.168.1.11", "down"])
      try await world.admin(["host", "192.168.1.12", "down"])
      do throws(EngineError) {
        let outcome = try await engine.removeNode("node3", force: true, on: nodes["node1"]!)
        Issue.record("taken for \(outcome)")
      } catch {
        #expect(error.failure == .datastoreWithoutLeader, "\(error)")
        #expect(!error.isTransient)
        #expect("\(error)".contains("majority of its voters is down"), "\(error)")
      }
    }
  }

  @Test("a down host is unreachable, a hung one is cut off at the timeout")
  func unreachableAndHung() async throws {
    try await Self.with { world, engine, nodes in
      try await world.admin(["host", "192.168.1.12", "down"])
      do throws(EngineError) {
        _ = try await engine.status(of: nodes["node3"]!)
        Issue.record("a down host answered")
      } catch {
        #expect(error.isUnreachable)
        #expect(error.isTransient)
        #expect(error.description.hasPrefix("node3: cannot reach the host"))
      }
      try await world.admin(["fault", "192.168.1.11", "status", "hang"])
      var quick = engine
      quick.timeouts.observe = .milliseconds(800)
      do throws(EngineError) {
        _ = try await quick.status(of: nodes["node2"]!)
        Issue.record("a hung command returned")
      } catch {
        guard case .transport(let transport) = error.cause, case .timedOut = transport.reason
        else {
          Issue.record("expected a timeout, got \(error)")
          return
        }
        #expect(error.description.contains("microk8s status --format yaml"))
      }
    }
  }
}
