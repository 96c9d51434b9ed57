import MembershipCore
import Testing

@testable import MembershipRuntime

/// The executor's checks just before a step, against `microk8s-sim`: what the cluster
/// shows then decides, not the plan made a moment earlier.
@Suite("Executor: checks before a step")
struct ExecutorSafetyTests {
  static let hosts = [
    "192.168.1.10=node1", "192.168.1.11=node2", "192.168.1.12=node3", "192.168.1.13=node4",
  ]
  static let nodes = [
    "node1@192.168.1.10", "node2@192.168.1.11", "node3@192.168.1.12", "node4@192.168.1.13",
  ]

  @Test("no join while the datastore lacks a voter majority: the joiner keeps its data")
  func noJoinWithoutQuorum() async throws {
    try await SimulatedWorld.with(Self.hosts) { world in
      let topology = world.topology(Self.nodes, policy: Policy(readyTimeout: .seconds(2)))
      let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
      try await world.join(engine, "node2", to: "node1")
      try await world.join(engine, "node3", to: "node1")
      // The plan was made before two voters crashed.
      try await world.admin(["host", "192.168.1.11", "down"])
      try await world.admin(["host", "192.168.1.12", "down"])
      let change = Change(
        action: .join,
        node: "node4",
        address: NodeAddress.parse("192.168.1.13"),
        role: .mixed,
        steps: [
          Step(.addNode, on: "node1", arguments: ["--token", Step.tokenPlaceholder]),
          Step(.join, on: "node4", arguments: ["192.168.1.10:25000/" + Step.tokenPlaceholder]),
        ],
        votersAfter: [],
        reason: "test"
      )
      var executor = Executor(engine: engine)
      executor.pollInterval = .milliseconds(100)
      do throws(ExecutionError) {
        try await executor.execute(change) { _ in }
        Issue.record("the join ran")
      } catch {
        guard case .unsafeStep(let reason) = error.cause else {
          Issue.record("another failure: \(error)")
          return
        }
        #expect(error.stepIndex == 1)
        #expect(reason.contains("voter majority"), "\(reason)")
        #expect("\(error)".contains("was not started"), "\(error)")
      }
      // node4 is still a standalone node with its own datastore: nothing was wiped.
      let status = try await engine.status(of: try #require(topology.nodes.last))
      #expect(status.datastore?.isLoopbackOnly == true, "\(status)")
    }
  }
}
