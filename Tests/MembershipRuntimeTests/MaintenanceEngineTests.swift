import MembershipCore
import Testing

@testable import MembershipRuntime

/// The engine's cordon, drain and uncordon against `microk8s-sim` and its pods.
@Suite("MicroK8s engine: cordon, drain, uncordon")
struct MaintenanceEngineTests {
  @Test("drain moves the pods; a budget's refusal names the pod, the budget and the timeout")
  func drain() async throws {
    try await MicroK8sEngineTests.with { world, engine, nodes in
      let contact = try #require(nodes["node1"])
      try await world.join(engine, "worker1", to: "node1")
      try await world.join(engine, "node2", to: "node1")
      for (pod, node) in [("web-0", "worker1"), ("web-1", "node2")] {
        try await world.admin(["pod", "add", "shop/\(pod)", "--on", node, "--app", "web"])
      }
      try await world.admin(["pod", "add", "kube-system/cni-w", "--on", "worker1", "--daemonset"])
      try await world.admin([
        "pdb", "add", "shop/web", "--on", "node1", "--app", "web", "--min-available", "2",
      ])
      do {
        try await engine.drain("worker1", on: contact, timeout: .seconds(1))
        Issue.record("the budget should have refused")
      } catch let error as EngineError {
        guard case .microK8s(.drainRefused(let node, let refusal)) = error.cause else {
          Issue.record("expected drainRefused, got \(error)")
          return
        }
        #expect(node == "worker1")
        var expected = DrainRefusal(refusedEvictions: ["shop/web-0"], timeout: "1s")
        expected.budgets = ["shop/web (minAvailable 2: 2 healthy, 0 disruptions allowed)"]
        #expect(refusal == expected)
        #expect(
          error.description.contains(
            "the disruption budget shop/web (minAvailable 2: 2 healthy, 0 disruptions allowed) "
              + "kept refusing the eviction of shop/web-0 until the 1s timeout"
          ),
          "\(error)"
        )
      }
      try await world.admin([
        "pdb", "add", "shop/web", "--on", "node1", "--app", "web", "--min-available", "1",
      ])
      try await engine.drain("worker1", on: contact, timeout: .seconds(60))
      try await engine.uncordon("worker1", on: contact)
      try await engine.cordon("node2", on: contact)
      try await engine.cordon("node2", on: contact)
      let shown = try await world.admin(["show"])
      #expect(shown.contains("\"name\" : \"web-0-1\""), "\(shown)")
      do {
        try await engine.uncordon("node9", on: contact)
        Issue.record("node9 does not exist")
      } catch let error as EngineError {
        #expect(error.cause == .microK8s(.nodeNotRegistered(name: "node9")))
      }
    }
  }
}
