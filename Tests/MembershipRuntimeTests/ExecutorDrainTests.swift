import Foundation
import MembershipCore
import Testing

@testable import MembershipRuntime

/// The executor's cordon, drain and uncordon steps against `microk8s-sim`: a change that
/// stops after its cordon, before its node left, puts the node back in service.
@Suite("Executor: draining")
struct ExecutorDrainTests {
  /// Removal of worker1 as the planner writes it: cordon and drain on node1, leave on
  /// worker1, remove-node on node1.
  static let removal = Change(
    action: .remove,
    node: "worker1",
    address: NodeAddress.parse("192.168.1.20"),
    role: nil,
    steps: [
      Step(.cordon, on: "node1", arguments: ["worker1"]),
      Step(
        .drain,
        on: "node1",
        arguments: ["worker1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=2s"]
      ),
      Step(.leave, on: "worker1"),
      Step(.removeNode, on: "node1", arguments: ["worker1"]),
    ],
    votersAfter: [],
    reason: "test"
  )

  /// The names of the cordoned nodes, from `microk8s-sim show`.
  static func cordoned(_ world: SimulatedWorld) async throws -> [String] {
    let shown = try await world.admin(["show"])
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any]
    )
    let clusters = root["clusters"] as? [[String: Any]] ?? []
    return clusters.flatMap { $0["nodes"] as? [[String: Any]] ?? [] }
      .filter { $0["unschedulable"] as? Bool == true }
      .compactMap { $0["name"] as? String }
  }

  @Test("a refused drain stops the change before the leave, and uncordons the node")
  func refusedDrainUncordons() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      try await world.join(engine, "worker1", to: "node1")
      try await world.admin(["pod", "add", "default/debug", "--on", "worker1", "--naked"])
      var executor = Executor(engine: engine)
      executor.pollInterval = .milliseconds(100)
      let started = Started()
      do throws(ExecutionError) {
        try await executor.execute(Self.removal) { event in
          if case .stepStarted(_, let index, _) = event { started.add(index) }
        }
        Issue.record("the drain should have been refused")
      } catch {
        #expect(error.stepIndex == 2)
        guard case .uncordoned("worker1") = error.restoration else {
          Issue.record("expected worker1 uncordoned, got \(String(describing: error.restoration))")
          return
        }
        #expect(error.description.contains("default/debug"), "\(error)")
        #expect(error.description.hasSuffix("so it takes pods as before."), "\(error)")
      }
      #expect(started.indices == [1, 2])
      #expect(try await Self.cordoned(world) == [])
      // Still a member: the leave never ran.
      let nodes = try await engine.nodes(on: engine.topology.nodes[0])
      #expect(nodes.map(\.name).sorted() == ["node1", "worker1"])
    }
  }

  @Test("an uncordon that fails too says the node is still cordoned, and how to fix it")
  func uncordonFails() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      try await world.join(engine, "worker1", to: "node1")
      let executor = Executor(engine: engine)
      let state = world.directory
      let simulator = world.simulator
      do throws(ExecutionError) {
        try await executor.execute(Self.removal) { event in
          // The contact goes down once worker1 is cordoned: the drain and the uncordon
          // through it both fail.
          if case .stepStarted(_, 2, _) = event {
            Self.runNow(simulator, ["--state", state, "host", "192.168.1.10", "down"])
          }
        }
        Issue.record("the drain should have failed")
      } catch {
        #expect(error.stepIndex == 2)
        guard case .stillCordoned("worker1", _) = error.restoration else {
          Issue.record("expected still cordoned, got \(String(describing: error.restoration))")
          return
        }
        #expect(
          error.description.contains(
            "worker1 is still cordoned: uncordoning it failed too ("
          ),
          "\(error)"
        )
        #expect(
          error.description.contains("Run 'microk8s kubectl uncordon worker1' on a control-plane"),
          "\(error)"
        )
      }
      try await world.admin(["host", "192.168.1.10", "up"])
      #expect(try await Self.cordoned(world) == ["worker1"])
    }
  }

  /// Runs the simulator to the end, from the executor's synchronous report.
  private static func runNow(_ executable: String, _ arguments: [String]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try? process.run()
    process.waitUntilExit()
  }
}

/// The indices of the steps reported started, from the executor's report.
private final class Started: @unchecked Sendable {
  private let lock = NSLock()
  private var started: [Int] = []

  func add(_ index: Int) { lock.withLock { started.append(index) } }
  var indices: [Int] { lock.withLock { started } }
}
