import Foundation
import Testing

/// A node whose MicroK8s never answers costs one read deadline (`policy.readTimeout`) a
/// pass, and the cluster is read through the next control-plane node instead.
@Suite("apply: a hung read")
struct HungReadTests {
  @Test("a contact that hangs is passed over after readTimeout, once a pass")
  func hungContact() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3", "node4"])
    await lab.joinByHand([("node2", false), ("node3", false)], to: "node1")
    let names = ["node1", "node2", "node3", "node4"]
    let file = try lab.topology(names.map { .mixed($0) }, policy: ["readTimeout": "2s"])
    // Every command on node1 sleeps for an hour from now on.
    await lab.sim(["fault", ApplyLab.address("node1"), "any", "hang", "--always"])
    let warning = "'microk8s status --format yaml' did not finish within 2s"

    let clock = ContinuousClock()
    var start = clock.now
    let status = await lab.run(["status", "-f", file, "--state-dir", lab.stateDirectory])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("read through node2"), "\(status.stdout)")
    #expect(status.stderr.components(separatedBy: warning).count - 1 == 1, "\(status.stderr)")
    // Loose, as the machine is shared: the 2-minute wait it replaces would exceed it.
    #expect(clock.now - start < .seconds(60))

    start = clock.now
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("on node2: microk8s add-node"), "\(applied.stdout)")
    // One deadline for the plan's observation, one for the pass after the join.
    let waits = applied.stderr.components(separatedBy: warning).count - 1
    #expect(waits >= 1 && waits <= 2, "\(applied.stderr)")
    #expect(clock.now - start < .seconds(60))
    #expect(Set(try await lab.world().nodes(of: "node2").keys) == Set(names))
    lab.expectNoSecrets()
  }
}
