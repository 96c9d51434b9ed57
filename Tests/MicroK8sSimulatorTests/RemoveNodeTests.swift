import Testing

@testable import MicroK8sSimulator

/// `microk8s remove-node NODE [--force]` (contract §5).
@Suite("remove-node")
struct RemoveNodeTests {
  @Test("after leave, remove-node by name succeeds silently")
  func afterLeave() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.run(Lab.address(3), "leave")
    #expect(lab.run(Lab.contact, "remove-node", "node3") == CommandOutcome(exitCode: 0))
    #expect(lab.cluster(of: Lab.contact).nodes.map(\.name) == ["node1", "node2"])
  }

  @Test("a member still in dqlite is refused without --force, with the trailing spaces")
  func registered() {
    let lab = Lab.cluster(controlPlanes: 3)
    let outcome = lab.run(Lab.contact, "remove-node", "node3")
    #expect(
      outcome.stdout
        == "Removal failed. Node node3 is registered with dqlite. Please, run first 'microk8s leave' on the departing node. \n"
        + "If the node is not available anymore and will never attempt to join the cluster in the future use the '--force' flag \n"
        + "to unregister the node while removing it.\n"
    )
    #expect(outcome.exitCode == 1)
  }

  @Test("--force evicts a dead member from dqlite and deletes its Node")
  func force() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(lab.run(Lab.contact, "remove-node", "node3", "--force").exitCode == 0)
    #expect(lab.members() == ["192.168.1.10:19001 voter", "192.168.1.11:19001 spare"])
    #expect(lab.readiness(of: "node3") == nil)
  }

  @Test("an IP names the node with that InternalIP")
  func byIP() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    #expect(lab.run(Lab.contact, "remove-node", "192.168.1.11").exitCode == 0)
    #expect(lab.readiness(of: "node2") == nil)
  }

  @Test("an unknown node does not exist, even with --force, exit 1")
  func unknown() {
    let lab = Lab.cluster(controlPlanes: 2)
    let plain = lab.run(Lab.contact, "remove-node", "ghost")
    #expect(plain.stderr == "Error from server (NotFound): nodes \"ghost\" not found\n")
    #expect(plain.stdout == "Node ghost does not exist in Kubernetes.\n")
    #expect(plain.exitCode == 1)
    let forced = lab.run(Lab.contact, "remove-node", "ghost", "--force")
    #expect(
      forced.stdout.lines == [
        "Node ghost does not exist in Kubernetes.", "Attempting to remove ghost from dqlite.",
      ]
    )
    #expect(forced.exitCode == 1)
  }

  @Test("the ghost case: a dqlite entry without a Node is removed by IP, and exit is still 1")
  func ghost() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.run(Lab.contact, "kubectl", "delete", "node", "node3").exitCode == 0)
    let outcome = lab.run(Lab.contact, "remove-node", "192.168.1.12", "--force")
    #expect(
      outcome.stdout.lines == [
        "Node 192.168.1.12 does not exist in Kubernetes.",
        "Attempting to remove 192.168.1.12 from dqlite.",
        "Removing node entry found in dqlite.",
      ]
    )
    #expect(outcome.stderr == "Error from server (NotFound): nodes \"192.168.1.12\" not found\n")
    #expect(outcome.exitCode == 1)
    #expect(lab.members() == ["192.168.1.10:19001 voter", "192.168.1.11:19001 spare"])
  }

  @Test("the wrapper's argument checks")
  func wrapperArguments() {
    let lab = Lab.cluster(controlPlanes: 2)
    #expect(
      lab.run(Lab.contact, "remove-node")
        == CommandOutcome(stdout: "Please provide the node you want to remove.\n", exitCode: 1)
    )
    #expect(
      lab.run(Lab.contact, "remove-node", "--force", "node2")
        == CommandOutcome(
          stdout: "Please provide the node and the optional --force flag.\n",
          exitCode: 1
        )
    )
    #expect(lab.run(Lab.contact, "remove-node", "a", "b", "c").exitCode == 2)
  }

  @Test("a worker refuses remove-node")
  func workerRefuses() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    let outcome = lab.run(Lab.address(2), "remove-node", "node1")
    #expect(
      outcome
        == CommandOutcome(
          stdout:
            "This MicroK8s deployment is acting as a node in a cluster. Please use microk8s leave.\n",
          exitCode: 1
        )
    )
  }

  @Test("removing the local node deletes its Node but never its own dqlite entry")
  func localNode() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.run(Lab.contact, "remove-node", "node1", "--force").exitCode == 0)
    #expect(lab.members().count == 3)
    #expect(lab.readiness(of: "node1") == nil)
  }

  @Test("a live node removed with --force keeps running detached: not ready, no API")
  func forcedWhileLive() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.run(Lab.contact, "remove-node", "node3", "--force").exitCode == 0)
    #expect(lab.run(Lab.address(3), "status").exitCode == 1)
    let kubectl = lab.run(Lab.address(3), "kubectl", "get", "nodes")
    #expect(kubectl.stderr.hasPrefix("The connection to the server 127.0.0.1:16443 was refused"))
  }

  @Test("without a dqlite leader remove-node reports no such node, dqlite's error on stderr")
  func noQuorum() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(2)))
    #expect(lab.apply(.down, to: Lab.address(3)))
    let outcome = lab.run(Lab.contact, "remove-node", "node3", "--force")
    #expect(outcome.stderr == "Error: no available dqlite leader server found\n")
    #expect(
      outcome.stdout.lines == [
        "Node node3 does not exist in Kubernetes.", "Attempting to remove node3 from dqlite.",
      ]
    )
    #expect(outcome.exitCode == 1)
    #expect(lab.members().count == 3)
  }
}
