import MembershipCore
import Testing

@testable import MembershipRuntime

/// Observing a file whose would-be founder has no MicroK8s: the nodes are classified for
/// the install and the joins, and a listed node already in another cluster stops the
/// pass, as when a founder answers.
@Suite("Cluster observer: founding on a bare host")
struct ClusterObserverFoundingTests {
  @Test("bare hosts only: each classified as lacking MicroK8s, nothing unreadable")
  func bareFounder() async throws {
    let hosts = ["192.168.1.10=node1:bare", "192.168.1.11=node2:bare", "192.168.1.20=worker1:bare"]
    try await SimulatedWorld.with(hosts) { world in
      let topology = world.topology(
        ["node1@192.168.1.10", "node2@192.168.1.11", "worker1@192.168.1.20:worker"]
      )
      let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
      let observation = await ClusterObserver(engine: engine).observe()
      #expect(observation.unreadable == nil, "\(observation.unreadable ?? "")")
      let findings = Dictionary(
        uniqueKeysWithValues: observation.cluster.probes.map { ($0.name, $0.finding) }
      )
      #expect(findings["node1"] == .microK8sMissing)
      #expect(findings["node2"] == .microK8sMissing)
      #expect(findings["worker1"] == .microK8sMissing)
      let plan = Planner.plan(desired: topology, observed: observation.cluster, fingerprint: "f")
      #expect(plan.founder == "node1")
      #expect(plan.changes.map(\.node) == ["node1", "node2", "worker1"])
    }
  }

  @Test("a bare founder beside a listed worker of another cluster: the split is reported")
  func splitAcrossClusters() async throws {
    let hosts = [
      "192.168.1.10=node1:bare", "192.168.1.12=node3", "192.168.1.20=worker1",
    ]
    try await SimulatedWorld.with(hosts) { world in
      let topology = world.topology(["node1@192.168.1.10", "worker1@192.168.1.20:worker"])
      // worker1 is a worker of node3's cluster, which the file does not list.
      let full = world.topology(["node3@192.168.1.12", "worker1@192.168.1.20:worker"])
      let other = MicroK8sEngine(topology: full) { LocalTransport(host: $0.name) }
      try await world.join(other, "worker1", to: "node3")
      let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
      let observation = await ClusterObserver(engine: engine).observe()
      let verdict = try #require(observation.unreadable)
      #expect(
        verdict.contains("node1 has no MicroK8s yet, and cluster homelab would be founded on it")
      )
      #expect(verdict.contains("worker1 is a worker of another cluster"), "\(verdict)")
    }
  }
}
