import Foundation
import Testing

/// Failures whose effect outlives the command: a join that reports success without
/// joining, and reads of the founding node that fail for a moment.
extension ApplyFaultTests {
  @Test(
    "join-silent-timeout: join exits 0 but never joins; the wait times out, then converged or told how to recover"
  )
  func joinSilentTimeout() async throws {
    let (lab, file) = try await Self.prepare(.joinMixed, policy: ["readyTimeout": "5s"])
    await lab.sim([
      "fault", ApplyLab.address("node2"), "join", "join-silent-timeout", "--times", "1",
    ])
    let result = await lab.apply(file)
    let output = result.stdout + result.stderr
    // The wait, not the exit status, finds the join missing, and says so.
    #expect(
      output.contains(
        "the command succeeded, but after 5s the cluster still does not show node2 Ready and a "
          + "datastore member"
      ),
      "\(output)"
    )
    if result.status != 0 {
      #expect(result.status == 1, "\(output)")
      #expect(try await lab.world().problems().isEmpty)
      // The way out MicroK8s offers a node stuck half way (contract section 3.3): leave.
      #expect(!output.contains("snap install microk8s"), "\(output)")
      #expect(output.contains("microk8s leave"), "\(output)")
      await lab.sim(["--host", ApplyLab.address("node2"), "leave"])
    }
    let again = await lab.apply(file)
    #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
    try await Self.expectGoal(.joinMixed, lab, "\(output)\n\(again.stdout)")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("a failed read of node1, the file's first node, never makes it join node2's cluster")
  func founderStaysFounder() async throws {
    let (lab, file) = try await Self.prepare(.joinMixed)
    let founding = try #require(try await lab.world().cluster(of: "node1")?.id)
    // Two failures: the pass that plans for confirmation, and the first pass of the run.
    let address = ApplyLab.address("node1")
    await lab.sim(["fault", address, "kubectl", "kubectl-api-unavailable", "--times", "2"])
    let result = await lab.apply(file)
    let output = result.stdout + result.stderr
    let cluster = try await lab.world().cluster(of: "node1")?.id
    #expect(!output.contains("+ join node1"), "\(output)")
    #expect(cluster == founding, "\(output)")
    await lab.sim(["fault", "clear"])
    let world = try await lab.world()
    #expect(world.problems().isEmpty, "\(world.problems())")
  }

  @Test("node1's datastore list coming back empty never makes node1 leave its cluster")
  func emptyDatastoreKeepsCluster() async throws {
    let lab = try await ApplyLab(["node1", "node2", "worker1"])
    let before = try lab.topology([.mixed("node1"), .worker("worker1")], file: "before.yaml")
    try #require(await lab.apply(before).status == 0)
    // A known MicroK8s symptom (contract section 6): status lists no datastore members
    // when dqlite does not answer in time, on a cluster that is otherwise fine.
    await lab.sim([
      "fault", ApplyLab.address("node1"), "status", "status-empty-datastore", "--times", "3",
    ])
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .worker("worker1")])
    let result = await lab.apply(file)
    let output = result.stdout + result.stderr
    let world = try await lab.world()
    #expect(world.nodes()["worker1"] == "worker", "\(output)")
    #expect(world.problems(of: "worker1").isEmpty, "\(world.problems(of: "worker1"))")
    lab.expectNoSecrets()
  }
}
