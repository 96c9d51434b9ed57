import MembershipCore
import Testing

@testable import MembershipRuntime

/// One observation pass against `microk8s-sim`: the contact, the members, the probes, and
/// what each costs in commands.
@Suite("Cluster observer against the simulator")
struct ClusterObserverTests {
  static func observe(_ engine: MicroK8sEngine) async -> ClusterObserver.Observation {
    await ClusterObserver(engine: engine).observe()
  }

  @Test("a fresh world: node1 is a one-node cluster on its real address; the rest standalone")
  func freshWorld() async throws {
    try await MicroK8sEngineTests.with { _, engine, _ in
      let observation = await Self.observe(engine)
      let cluster = observation.cluster
      #expect(observation.problems.isEmpty, "\(observation.problems)")
      #expect(observation.unreadable == nil)
      #expect(cluster.contact == "node1")
      #expect(cluster.nodes.map(\.name) == ["node1"])
      // The standalone datastore says 127.0.0.1 (contract section 6); the observer maps it.
      #expect(cluster.datastore == [DatastoreMember(address: .ipv4(0xC0A8_010A), role: .voter)])
      let track = Track(major: 1, minor: 28)
      #expect(cluster.probes.map(\.name) == ["node2", "node3", "worker1"])
      #expect(cluster.probes.allSatisfy { $0.finding == .standalone(track: track) })
      // Each standalone MicroK8s names its host, and is a cluster of its own.
      #expect(cluster.probes.map(\.hostname) == ["node2", "node3", "worker1"])
      #expect(Set(cluster.probes.compactMap(\.identity)).count == 3)
      #expect(cluster.identity != nil)
      #expect(!cluster.probes.contains { $0.identity == cluster.identity })
      // A lone standalone MicroK8s is no cluster to record yet.
      #expect(observation.establishedIdentity == nil)
      let plan = Planner.plan(desired: engine.topology, observed: cluster, fingerprint: "f")
      #expect(plan.changes.map(\.node) == ["node2", "node3", "worker1"])
    }
  }

  @Test("a converged pass costs exactly two commands: status and kubectl on the contact")
  func convergedPassCost() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      for joiner in ["node2", "node3", "worker1"] {
        try await world.join(engine, joiner, to: "node1")
      }
      let before = engine.commandsRun
      let observation = await Self.observe(engine)
      #expect(engine.commandsRun - before == 2)
      #expect(observation.establishedIdentity == observation.cluster.identity)
      // Checked against the identity recorded, a pass costs the same two commands.
      var checked = ClusterObserver(engine: engine)
      checked.expectedIdentity = observation.cluster.identity
      let again = engine.commandsRun
      #expect(await checked.observe().cluster.contact == "node1")
      #expect(engine.commandsRun - again == 2)
      #expect(observation.cluster.probes.isEmpty)
      #expect(observation.cluster.datastore.filter { $0.role == .voter }.count == 3)
      let plan = Planner.plan(
        desired: engine.topology,
        observed: observation.cluster,
        fingerprint: "f"
      )
      #expect(plan.isEmpty, "\(PlanRenderer.text(plan))")
    }
  }

  @Test("the contact is the first control-plane node that answers as a member")
  func contactSkipsTheDown() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      for joiner in ["node2", "node3"] { try await world.join(engine, joiner, to: "node1") }
      try await world.admin(["host", "192.168.1.10", "down"])
      let observation = await Self.observe(engine)
      #expect(observation.cluster.contact == "node2")
      #expect(observation.cluster.unreachable == ["node1"])
      #expect(observation.problems.map(\.host) == ["node1"])
      let node1 = observation.cluster.nodes.first { $0.name == "node1" }
      #expect(node1?.ready == false, "a down host's node turns NotReady")
    }
  }

  @Test("probes: another cluster's member, MicroK8s missing, another track, unreachable")
  func probeFindings() async throws {
    let hosts = MicroK8sEngineTests.hosts + ["192.168.1.30=other1", "192.168.1.31=other2:1.27"]
    try await SimulatedWorld.with(hosts) { world in
      let topology = world.topology(MicroK8sEngineTests.nodes + ["other2@192.168.1.31"])
      let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
      // node3 joins a cluster of its own with other1; worker1 has no MicroK8s; other2
      // runs 1.27; node2 is down.
      let foreign = world.topology(["other1@192.168.1.30", "node3@192.168.1.12"])
      let foreignEngine = MicroK8sEngine(topology: foreign) { LocalTransport(host: $0.name) }
      try await world.join(foreignEngine, "node3", to: "other1")
      try await world.admin(["fault", "192.168.1.20", "any", "not-installed", "--always"])
      try await world.admin(["host", "192.168.1.11", "down"])
      // Nothing is recorded: node1 is standalone, node3 in a cluster without node2,
      // which cannot be read. Which cluster is the file's is not mktopo's to guess.
      let observation = await Self.observe(engine)
      #expect(observation.cluster.contact == nil)
      let verdict = observation.unreadable ?? ""
      #expect(verdict.contains("node3 is in a cluster (other1, node3)"), "\(verdict)")
      #expect(verdict.contains("node2 (could not be reached)"), "\(verdict)")
      #expect(verdict.contains("cannot be told"), "\(verdict)")
      // Once node1's (one-node) cluster is the one recorded, node3 is only a blocked join.
      let alone = MicroK8sEngine(topology: world.topology(["node1@192.168.1.10"])) {
        LocalTransport(host: $0.name)
      }
      let founder = await Self.observe(alone)
      var recorded = ClusterObserver(engine: engine)
      recorded.expectedIdentity = founder.cluster.identity
      let checked = await recorded.observe()
      #expect(checked.unreadable == nil)
      #expect(checked.cluster.contact == "node1")
      let findings = Dictionary(
        uniqueKeysWithValues: checked.cluster.probes.map { ($0.name, $0.finding) }
      )
      #expect(findings["node3"] == .memberOfAnotherCluster)
      #expect(findings["worker1"] == .microK8sMissing)
      #expect(findings["other2"] == .standalone(track: Track(major: 1, minor: 27)))
      #expect(findings["node2"] == .unreachable)
      #expect(checked.cluster.unreachable == ["node2"])
      let plan = Planner.plan(
        desired: topology,
        observed: checked.cluster,
        fingerprint: "f"
      )
      // worker1, without MicroK8s, is installed and joined; nothing else can go.
      #expect(plan.changes.map(\.node) == ["worker1"], "\(PlanRenderer.text(plan))")
      #expect(plan.changes.first?.steps.first?.verb == .install)
      let reasons = plan.blocked.map(\.reason).joined(separator: "\n")
      #expect(reasons.contains("sudo snap refresh microk8s --channel=1.28/stable"))
      #expect(reasons.contains("node3 is a member of another cluster"))
    }
  }

  @Test("a member whose status lists no datastore members is passed over as the contact")
  func emptyDatastoreStatus() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      try await world.join(engine, "node2", to: "node1")
      // status gave up asking dqlite (contract section 6): an empty list proves nothing.
      try await world.admin(["fault", "192.168.1.10", "status", "status-empty-datastore"])
      let observation = await Self.observe(engine)
      #expect(observation.cluster.contact == "node2")
      #expect(observation.cluster.datastore.count == 2)
    }
  }

  @Test("members that no listed node can show: unreadable, never an empty cluster")
  func unreadable() async throws {
    try await MicroK8sEngineTests.with { world, engine, _ in
      try await world.join(engine, "node2", to: "node1")
      for address in ["192.168.1.10", "192.168.1.11"] {
        try await world.admin(["fault", address, "kubectl", "kubectl-api-unavailable", "--always"])
      }
      let observation = await Self.observe(engine)
      #expect(observation.cluster.contact == nil)
      #expect(
        observation.unreadable?.contains("no control-plane node of the topology could be read")
          == true,
        "\(observation.unreadable ?? "")"
      )
      #expect(observation.problems.count >= 2)
    }
  }
}
