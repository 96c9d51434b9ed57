import Testing

@testable import MembershipCore

/// `kubectl cordon|uncordon|drain` output, as upstream kubectl prints it (the texts the
/// simulator reproduces from kubernetes/kubectl pkg/cmd/drain/drain.go and pkg/drain).
@Suite("kubectl drain output")
struct DrainOutputTests {
  static func failure(_ body: () throws(MicroK8sFailure) -> Void) -> MicroK8sFailure? {
    do {
      try body()
      return nil
    } catch {
      return error
    }
  }

  @Test("cordoned, already cordoned, uncordoned and drained are success")
  func success() {
    for text in ["node/n2 cordoned\n", "node/n2 already cordoned\n", "node/n2 uncordoned\n"] {
      #expect(
        Self.failure { () throws(MicroK8sFailure) in
          try MicroK8sOutput.nodeMaintenance(CommandOutput(exitStatus: 0, stdout: text), node: "n2")
        } == nil
      )
    }
    let drained = CommandOutput(
      exitStatus: 0,
      stdout: "node/n2 cordoned\nevicting pod default/web-0\npod/web-0 evicted\nnode/n2 drained\n",
      stderr: "Warning: ignoring DaemonSet-managed Pods: kube-system/calico-node-a\n"
    )
    #expect(
      Self.failure { () throws(MicroK8sFailure) in
        try MicroK8sOutput.drain(drained, node: "n2")
      } == nil
    )
  }

  @Test("pods kubectl will not delete, two reasons in Go's aggregate")
  func unmovable() throws {
    let error =
      "[cannot delete Pods that declare no controller (use --force to override): default/debug, "
      + "default/tmp, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
      + "kube-system/calico-node-a]"
    let output = CommandOutput(
      exitStatus: 1,
      stdout: "node/n2 cordoned\n",
      stderr: "error: unable to drain node \"n2\" due to error: \(error), continuing command...\n"
        + "There are pending nodes to be drained:\n n2\nerror: \(error)\n"
    )
    let failure = try #require(
      Self.failure { () throws(MicroK8sFailure) in
        try MicroK8sOutput.drain(output, node: "n2")
      }
    )
    guard case .drainRefused(let node, let refusal) = failure else {
      Issue.record("expected drainRefused, got \(failure)")
      return
    }
    #expect(node == "n2")
    #expect(
      refusal.unmovable == [
        .init(
          reason: "Pods that declare no controller (use --force to override)",
          pods: ["default/debug", "default/tmp"]
        ),
        .init(
          reason: "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
          pods: ["kube-system/calico-node-a"]
        ),
      ]
    )
    #expect(refusal.refusedEvictions.isEmpty && refusal.otherErrors.isEmpty)
    #expect(failure.summary.contains("default/debug, default/tmp"))
    #expect(failure.summary.hasSuffix("kube-system/calico-node-a."))
  }

  @Test("a budget refused the evictions until the timeout: the pods and the timeout")
  func budget() throws {
    let errors = ["web-0", "web-1"].map {
      "error when evicting pods/\"\($0)\" -n \"shop\": global timeout reached: 5m0s"
    }
    let error = "[" + errors.joined(separator: ", ") + "]"
    let retry =
      "error when evicting pods/\"web-0\" -n \"shop\" (will retry after 5s): Cannot evict pod "
      + "as it would violate the pod's disruption budget.\n"
    let output = CommandOutput(
      exitStatus: 1,
      stdout: "node/n2 cordoned\nevicting pod shop/web-0\nevicting pod shop/web-1\n",
      stderr: retry + retry
        + "There are pending pods in node \"n2\" when an error occurred: \(error)\n"
        + "pod/web-0\npod/web-1\n"
        + "error: unable to drain node \"n2\" due to error: \(error), continuing command...\n"
        + "There are pending nodes to be drained:\n n2\nerror: \(error)\n"
    )
    let failure = try #require(
      Self.failure { () throws(MicroK8sFailure) in
        try MicroK8sOutput.drain(output, node: "n2")
      }
    )
    guard case .drainRefused(_, let refusal) = failure else {
      Issue.record("expected drainRefused, got \(failure)")
      return
    }
    #expect(
      refusal == DrainRefusal(refusedEvictions: ["shop/web-0", "shop/web-1"], timeout: "5m0s")
    )
    #expect(
      failure.summary
        == "kubectl drain could not empty node n2: a disruption budget kept refusing the "
        + "eviction of shop/web-0, shop/web-1 until the 5m0s timeout."
    )
  }

  @Test("no such node, a worker, the API down, and the unknown")
  func otherFailures() {
    func failure(_ output: CommandOutput) -> MicroK8sFailure? {
      Self.failure { () throws(MicroK8sFailure) in try MicroK8sOutput.drain(output, node: "n9") }
    }
    let missing = CommandOutput(
      exitStatus: 1,
      stderr: "Error from server (NotFound): nodes \"n9\" not found\n"
    )
    #expect(failure(missing) == .nodeNotRegistered(name: "n9"))
    let worker = CommandOutput(
      exitStatus: 0,
      stdout: "This MicroK8s deployment is acting as a node in a cluster.\nPlease use ...\n"
    )
    #expect(failure(worker) == .workerNode(command: "kubectl"))
    let down = CommandOutput(
      exitStatus: 1,
      stderr: "The connection to the server 127.0.0.1:16443 was refused - did you specify "
        + "the right host or port?\n"
    )
    guard case .apiServerUnavailable = failure(down) else {
      Issue.record("expected apiServerUnavailable, got \(String(describing: failure(down)))")
      return
    }
    guard case .unrecognised = failure(CommandOutput(exitStatus: 3, stderr: "boom\n")) else {
      Issue.record("expected unrecognised")
      return
    }
  }
}
