import Testing

@testable import MicroK8sSimulator

/// `microk8s leave` (contract §4).
@Suite("leave")
struct LeaveTests {
  @Test("a control-plane node leaves the datastore and starts a fresh one")
  func controlPlane() {
    let lab = Lab.cluster(controlPlanes: 3)
    let outcome = lab.run(Lab.address(3), "leave")
    #expect(
      outcome
        == CommandOutcome(
          stdout: "Generating new cluster certificates.\nWaiting for node to start.  \n",
          exitCode: 0
        )
    )
    #expect(lab.host(Lab.address(3)).mode == .standalone)
    #expect(!lab.host(Lab.address(3)).clustered)
    #expect(lab.members(of: Lab.address(3)) == ["127.0.0.1:19001 voter"])
    #expect(!lab.members().contains { $0.hasPrefix("192.168.1.12") })
  }

  @Test("leave keeps the Node object, which turns NotReady until remove-node")
  func nodeStays() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.run(Lab.address(3), "leave")
    #expect(lab.readiness(of: "node3") == .unknown)
    #expect(lab.run(Lab.contact, "remove-node", "node3").exitCode == 0)
    #expect(lab.readiness(of: "node3") == nil)
  }

  @Test("the only voter of a bigger cluster refuses with exit 3")
  func onlyVoter() {
    let lab = Lab.cluster(controlPlanes: 2)
    let outcome = lab.run(Lab.contact, "leave")
    #expect(
      outcome.stdout.lines == [
        "This node currently holds the only copy of the Kubernetes database so it cannot leave the cluster.",
        "To remove this node you can either first remove all other nodes with 'microk8s remove-node' or",
        "form a highly available cluster by adding at least three nodes.",
      ]
    )
    #expect(outcome.exitCode == 3)
    #expect(lab.members().count == 2)
  }

  @Test("the spare of a two-node cluster may leave")
  func spareLeaves() {
    let lab = Lab.cluster(controlPlanes: 2)
    #expect(lab.run(Lab.address(2), "leave").exitCode == 0)
    #expect(lab.members() == ["192.168.1.10:19001 voter"])
  }

  @Test("a node that never clustered is not acting as a node in a cluster")
  func neverClustered() {
    let lab = Lab(nodes: 1)
    let outcome = lab.run(Lab.contact, "leave")
    #expect(
      outcome
        == CommandOutcome(
          stdout: "This MicroK8s deployment is not acting as a node in a cluster.\n",
          exitCode: 1
        )
    )
  }

  @Test("the last node of a former cluster may leave and loses its objects")
  func lastOfFormerCluster() {
    let lab = Lab.cluster(controlPlanes: 2)
    lab.run(Lab.address(2), "leave")
    lab.run(Lab.contact, "remove-node", "node2")
    #expect(lab.host(Lab.contact).clustered)
    #expect(lab.run(Lab.contact, "leave").exitCode == 0)
    #expect(lab.cluster(of: Lab.contact).nodes.map(\.name) == ["node1"])
    #expect(lab.members() == ["127.0.0.1:19001 voter"])
  }

  @Test("a worker leaves with its own transcript")
  func worker() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    let outcome = lab.run(Lab.address(2), "leave")
    #expect(
      outcome.stdout.lines == [
        "Configuring services.", "Generating new cluster certificates.",
        "Waiting for node to start.  ",
      ]
    )
    #expect(lab.host(Lab.address(2)).mode == .standalone)
    #expect(lab.readiness(of: "node2") == .unknown)
  }

  @Test("leave on a stopped node fails on standard error")
  func stopped() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.run(Lab.address(3), "stop")
    let outcome = lab.run(Lab.address(3), "leave")
    #expect(
      outcome
        == CommandOutcome(stderr: "microk8s is not running, try microk8s start\n", exitCode: 1)
    )
  }

  @Test("without quorum the dqlite query fails with a traceback")
  func noQuorum() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(2)))
    #expect(lab.apply(.down, to: Lab.address(3)))
    let outcome = lab.run(Lab.contact, "leave")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stderr.lines.last?.hasPrefix("subprocess.CalledProcessError: Command") == true)
    #expect(lab.members().count == 3)
  }

  @Test("extra arguments are a click usage error")
  func extraArgument() {
    let lab = Lab.cluster(controlPlanes: 2)
    let outcome = lab.run(Lab.address(2), "leave", "now")
    #expect(outcome.exitCode == 2)
    #expect(outcome.stderr.lines.last == "Error: Got unexpected extra argument (now)")
  }
}
