import Testing

@testable import MicroK8sSimulator

/// `kubectl cordon`, `uncordon` and `drain` as upstream kubectl behaves
/// (kubernetes/kubectl pkg/cmd/drain/drain.go, pkg/drain/drain.go, filters.go).
@Suite("kubectl cordon, uncordon and drain")
struct DrainTests {
  /// node1 (control plane) with workers node2 and node3.
  static func lab() -> Lab { Lab.cluster(controlPlanes: 1, workers: 2) }

  static func add(_ lab: Lab, _ pods: SimulatedPod...) {
    guard let index = lab.world.clusterHolding(node: "node1") else { return }
    lab.world.clusters[index].pods += pods
  }

  static func budget(_ lab: Lab, app: String, minAvailable: Int) {
    guard let index = lab.world.clusterHolding(node: "node1") else { return }
    lab.world.clusters[index].budgets = [
      DisruptionBudget(
        namespace: "default",
        name: "\(app)-pdb",
        app: app,
        minAvailable: minAvailable
      )
    ]
  }

  static func pods(_ lab: Lab) -> [String] {
    lab.cluster(of: Lab.contact).pods.map { "\($0.name)@\($0.node ?? "pending")" }
  }

  static func web(_ name: String, on node: String) -> SimulatedPod {
    SimulatedPod(namespace: "default", name: name, node: node, app: "web")
  }

  @Test("cordon and uncordon, each twice: upstream's words, and the Node shows it")
  func cordon() throws {
    let lab = Self.lab()
    #expect(lab.run(Lab.contact, "kubectl", "cordon", "node2").stdout == "node/node2 cordoned\n")
    #expect(
      lab.run(Lab.contact, "kubectl", "cordon", "node2").stdout == "node/node2 already cordoned\n"
    )
    let table = lab.run(Lab.contact, "kubectl", "get", "nodes").stdout
    #expect(table.contains("node2   Ready,SchedulingDisabled"), "\(table)")
    let json = lab.run(Lab.contact, "kubectl", "get", "node", "node2", "-o", "json").stdout
    #expect(json.contains("\"unschedulable\": true"), "\(json)")
    #expect(json.contains("node.kubernetes.io/unschedulable"))
    #expect(
      lab.run(Lab.contact, "kubectl", "uncordon", "node2").stdout == "node/node2 uncordoned\n"
    )
    #expect(
      lab.run(Lab.contact, "kubectl", "uncordon", "node2").stdout
        == "node/node2 already uncordoned\n"
    )
    let missing = lab.run(Lab.contact, "kubectl", "drain", "node9")
    #expect(missing.exitCode == 1)
    #expect(missing.stderr == "Error from server (NotFound): nodes \"node9\" not found\n")
  }

  @Test("without the flags, DaemonSet, controller-less and emptyDir pods stop the drain")
  func filters() {
    let lab = Self.lab()
    var local = Self.web("cache-0", on: "node2")
    local.emptyDir = true
    Self.add(
      lab,
      SimulatedPod(
        namespace: "kube-system",
        name: "calico-node-a",
        node: "node2",
        owner: .daemonSet
      ),
      SimulatedPod(namespace: "default", name: "debug", node: "node2", owner: .none),
      local,
      Self.web("web-0", on: "node2")
    )
    let before = Self.pods(lab)
    let outcome = lab.run(Lab.contact, "kubectl", "drain", "node2", "--timeout=60s")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stdout == "node/node2 cordoned\n")
    let error =
      "[cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
      + "kube-system/calico-node-a, cannot delete Pods that declare no controller (use "
      + "--force to override): default/debug, cannot delete Pods with local storage (use "
      + "--delete-emptydir-data to override): default/cache-0]"
    #expect(
      outcome.stderr
        == "error: unable to drain node \"node2\" due to error: \(error), continuing command...\n"
        + "There are pending nodes to be drained:\n node2\nerror: \(error)\n"
    )
    // Nothing evicted, and the node stays cordoned.
    #expect(Self.pods(lab) == before)
    #expect(lab.cluster(of: Lab.contact).nodes.first { $0.name == "node2" }?.unschedulable == true)

    // With the flags: the DaemonSet pod stays, the rest go; only the warnings kubectl keeps.
    let drained = lab.run(
      Lab.contact,
      "kubectl",
      "drain",
      "node2",
      "--ignore-daemonsets",
      "--delete-emptydir-data",
      "--force",
      "--timeout=60s"
    )
    #expect(drained.exitCode == 0, "\(drained)")
    #expect(
      drained.stderr
        == "Warning: ignoring DaemonSet-managed Pods: kube-system/calico-node-a; deleting Pods "
        + "that declare no controller: default/debug\n"
    )
    #expect(drained.stdout.hasPrefix("node/node2 already cordoned\n"))
    #expect(drained.stdout.hasSuffix("node/node2 drained\n"))
    #expect(drained.pause == 0)
    // ReplicaSet pods are replaced on the first schedulable Ready node; `debug` is gone.
    #expect(
      Self.pods(lab).sorted()
        == ["cache-0-1@node1", "calico-node-a@node2", "web-0-1@node1"]
    )
  }

  @Test("a budget refuses: retried every 5s until the timeout, the pod stays, exit 1")
  func budgetRefuses() {
    let lab = Self.lab()
    Self.add(lab, Self.web("web-0", on: "node2"), Self.web("web-1", on: "node3"))
    Self.budget(lab, app: "web", minAvailable: 2)
    let outcome = lab.run(
      Lab.contact,
      "kubectl",
      "drain",
      "node2",
      "--ignore-daemonsets",
      "--timeout=7s"
    )
    #expect(outcome.exitCode == 1)
    // Tries at 0s and 5s are refused; the one at 10s finds the timeout.
    #expect(outcome.pause == 10)
    #expect(
      outcome.stdout
        == "node/node2 cordoned\n" + String(repeating: "evicting pod default/web-0\n", count: 3)
    )
    let retry =
      "error when evicting pods/\"web-0\" -n \"default\" (will retry after 5s): Cannot evict "
      + "pod as it would violate the pod's disruption budget.\n"
    let error = "error when evicting pods/\"web-0\" -n \"default\": global timeout reached: 7s"
    #expect(
      outcome.stderr
        == retry + retry
        + "There are pending pods in node \"node2\" when an error occurred: \(error)\npod/web-0\n"
        + "error: unable to drain node \"node2\" due to error: \(error), continuing command...\n"
        + "There are pending nodes to be drained:\n node2\nerror: \(error)\n"
    )
    #expect(Self.pods(lab) == ["web-0@node2", "web-1@node3"])

    // Relaxed: the next drain evicts it.
    Self.budget(lab, app: "web", minAvailable: 1)
    let again = lab.run(Lab.contact, "kubectl", "drain", "node2", "--timeout=7s")
    #expect(again.exitCode == 0, "\(again)")
    #expect(again.stdout.contains("pod/web-0 evicted"))
    #expect(Self.pods(lab) == ["web-1@node3", "web-0-1@node1"])
  }

  @Test("a budget that one replacement satisfies: the second eviction waits one retry")
  func replacementCounts() {
    let lab = Self.lab()
    Self.add(lab, Self.web("web-0", on: "node2"), Self.web("web-1", on: "node2"))
    Self.budget(lab, app: "web", minAvailable: 1)
    let outcome = lab.run(Lab.contact, "kubectl", "drain", "node2", "--timeout=60s")
    #expect(outcome.exitCode == 0, "\(outcome)")
    // web-0 goes at once; web-1 would leave no Ready pod until web-0's replacement is
    // Ready, 5s later, when kubectl tries again.
    #expect(outcome.pause == 5)
    #expect(outcome.stderr.ranges(of: "will retry after 5s").count == 1)
    #expect(Self.pods(lab) == ["web-0-1@node1", "web-1-1@node1"])
  }

  @Test("with no schedulable node left, a replacement stays Pending and never counts")
  func pending() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    lab.run(Lab.contact, "kubectl", "cordon", "node1")
    Self.add(lab, Self.web("web-0", on: "node2"), Self.web("web-1", on: "node2"))
    Self.budget(lab, app: "web", minAvailable: 1)
    let outcome = lab.run(Lab.contact, "kubectl", "drain", "node2", "--timeout=12s")
    #expect(outcome.exitCode == 1)
    #expect(outcome.pause == 15)
    #expect(Self.pods(lab) == ["web-1@node2", "web-0-1@pending"])
  }

  @Test("a cordoned node stays cordoned when it registers again (restart, rejoin); deleted, not")
  func cordonOutlivesRegistration() {
    let lab = Self.lab()
    lab.run(Lab.contact, "kubectl", "cordon", "node2")
    // The host restarts: its kubelet registers the Node again.
    lab.apply(.stop, to: Lab.address(2))
    lab.apply(.start, to: Lab.address(2))
    #expect(lab.cluster(of: Lab.contact).nodes.first { $0.name == "node2" }?.unschedulable == true)
    // It leaves (its Node stays listed) and joins again: the object is taken over, spec kept.
    #expect(lab.run(Lab.address(2), "leave").exitCode == 0)
    lab.join(Lab.address(2), worker: true)
    #expect(lab.cluster(of: Lab.contact).nodes.first { $0.name == "node2" }?.unschedulable == true)
    lab.run(Lab.contact, "kubectl", "delete", "node", "node2")
    lab.apply(.stop, to: Lab.address(2))
    lab.apply(.start, to: Lab.address(2))
    let node = lab.cluster(of: Lab.contact).nodes.first { $0.name == "node2" }
    #expect(node != nil && node?.unschedulable == false)
  }

  @Test("a removed node's pods: ReplicaSet pods start elsewhere, the others are gone")
  func removedNode() {
    let lab = Self.lab()
    Self.add(
      lab,
      Self.web("web-0", on: "node3"),
      SimulatedPod(
        namespace: "kube-system",
        name: "calico-node-c",
        node: "node3",
        owner: .daemonSet
      ),
      SimulatedPod(namespace: "default", name: "debug", node: "node3", owner: .none)
    )
    // node3 leaves without a drain, then is removed: the pod GC deletes its pods.
    #expect(lab.run(Lab.address(3), "leave").exitCode == 0)
    #expect(lab.run(Lab.contact, "remove-node", "node3").exitCode == 0)
    #expect(Self.pods(lab) == ["web-0-1@node1"])
    let pod = lab.cluster(of: Lab.contact).pods.first
    #expect(pod?.readyAt == lab.now + World.replacementStart)
  }

  @Test("Pending pods are placed once a node is uncordoned")
  func pendingPlacedOnUncordon() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    lab.run(Lab.contact, "kubectl", "cordon", "node1")
    Self.add(lab, Self.web("web-0", on: "node2"))
    #expect(lab.run(Lab.contact, "kubectl", "drain", "node2", "--timeout=60s").exitCode == 0)
    #expect(Self.pods(lab) == ["web-0-1@pending"])
    lab.run(Lab.contact, "kubectl", "uncordon", "node1")
    #expect(Self.pods(lab) == ["web-0-1@node1"])
  }

  @Test("get pods and pdb -o json: where pods run, their owners, and what a budget allows")
  func listings() {
    let lab = Self.lab()
    var local = Self.web("web-0", on: "node2")
    local.emptyDir = true
    Self.add(
      lab,
      local,
      Self.web("web-1", on: "node3"),
      SimulatedPod(namespace: "kube-system", name: "cni-a", node: "node2", owner: .daemonSet)
    )
    Self.budget(lab, app: "web", minAvailable: 1)
    let onNode = lab.run(
      Lab.contact,
      "kubectl",
      "get",
      "pods",
      "-A",
      "--field-selector",
      "spec.nodeName=node2",
      "-o",
      "json"
    )
    #expect(onNode.exitCode == 0, "\(onNode)")
    #expect(onNode.stdout.contains("\"name\": \"web-0\""))
    #expect(onNode.stdout.contains("\"name\": \"cni-a\""))
    #expect(!onNode.stdout.contains("web-1"))
    #expect(onNode.stdout.contains("\"kind\": \"DaemonSet\""))
    #expect(onNode.stdout.contains("\"emptyDir\": {}"))
    let defaultOnly = lab.run(Lab.contact, "kubectl", "get", "pods", "-o", "json").stdout
    #expect(defaultOnly.contains("web-1") && !defaultOnly.contains("cni-a"))
    let budgets = lab.run(Lab.contact, "kubectl", "get", "pdb", "-A", "-o", "json").stdout
    #expect(budgets.contains("\"disruptionsAllowed\": 1"), "\(budgets)")
    #expect(budgets.contains("\"currentHealthy\": 2"))
    #expect(budgets.contains("\"app\": \"web\""))
    // Not simulated: a table, or a selector on budgets.
    #expect(lab.run(Lab.contact, "kubectl", "get", "pods", "-A").exitCode != 0)
  }

  @Test("Go's durations, read from --timeout and written in the timeout message")
  func goDurations() {
    #expect(World.seconds("5m0s") == 300)
    #expect(World.seconds("1h30m") == 5400)
    #expect(World.seconds("500ms") == 0.5)
    #expect(World.seconds("2.5s") == 2.5)
    #expect(World.seconds("90") == 90)
    #expect(World.seconds("5x") == nil)
    #expect(World.seconds("m") == nil)
    #expect(World.seconds("") == nil)
    #expect(World.goDuration(2) == "2s")
    #expect(World.goDuration(90) == "1m30s")
    #expect(World.goDuration(300) == "5m0s")
    #expect(World.goDuration(3600) == "1h0m0s")
    #expect(World.goDuration(0.5) == "500ms")
  }
}
