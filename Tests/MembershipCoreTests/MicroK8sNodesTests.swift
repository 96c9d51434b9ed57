import MembershipCore
import Testing

@Suite("MicroK8s kubectl get nodes and versions")
struct MicroK8sNodesTests {
  private func nodes(
    _ exit: Int32,
    _ stdout: String,
    stderr: String = ""
  ) throws(MicroK8sFailure)
    -> NodeListing
  {
    try MicroK8sOutput.nodes(CommandOutput(exitStatus: exit, stdout: stdout, stderr: stderr))
  }

  @Test func listReadsNameAddressRoleReadinessAndVersion() throws {
    #expect(
      try nodes(0, NodesSamples.three) == .nodes(NodesSamples.expected, clusterIdentity: nil)
    )
  }

  @Test func namespacesGiveTheClusterIdentityFromKubeSystemOnly() throws {
    let uid = "0b8e4b6c-3f5e-4c1a-9d2e-7a6b5c4d3e2f"
    func namespace(_ name: String, _ uid: String) -> String {
      #"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "\#(name)", "#
        + #""uid": "\#(uid)"}, "status": {"phase": "Active"}}"#
    }
    let text =
      #"{"apiVersion": "v1", "kind": "List", "items": ["#
      + namespace("default", "11111111-2222-3333-4444-555555555555") + ", "
      + #"{"kind": "Node", "metadata": {"name": "n1"}}, "#
      + namespace("kube-system", uid) + "]}"
    guard case .nodes(let list, let identity) = try nodes(0, text) else {
      Issue.record("expected nodes")
      return
    }
    #expect(list.map(\.name) == ["n1"])
    #expect(identity == uid)
    // A kube-system namespace without a UID is no identity to trust.
    let broken = text.replacingFirst(uid, with: "not-a-uid")
    #expect(throws: MicroK8sFailure.self) { try nodes(0, broken) }
  }

  @Test func nodeWithoutStatusIsNotReadyWithoutAddress() throws {
    #expect(
      try nodes(0, NodesSamples.bare)
        == .nodes(
          [
            ObservedNode(
              name: "fresh",
              internalIP: nil,
              role: nil,
              ready: false,
              kubeletVersion: ""
            )
          ],
          clusterIdentity: nil
        )
    )
    #expect(try nodes(0, NodesSamples.empty) == .nodes([], clusterIdentity: nil))
  }

  @Test func workerShortCircuitIsNotJSON() throws {
    #expect(try nodes(0, NodesSamples.worker) == .worker)
  }

  @Test func bothRoleLabelsMeanUnknownRole() throws {
    let text = NodesSamples.bare.replacingFirst(
      #"{"name": "fresh"}"#,
      with: #"{"name": "fresh", "labels": {"node.kubernetes.io/microk8s-controlplane": "x", "#
        + #""node.kubernetes.io/microk8s-worker": "y"}}"#
    )
    guard case .nodes(let list, _) = try nodes(0, text) else {
      Issue.record("expected nodes")
      return
    }
    #expect(list.first?.role == nil)
  }

  @Test(arguments: [
    (#"["not", "a", "list"]"#, "top level"),
    (#"{"kind": "Pod", "items": []}"#, "kind"),
    (#"{"kind": "List"}"#, "items"),
    (#"{"items": [{"kind": "Pod", "metadata": {"name": "a"}}]}"#, "items[0].kind"),
    (#"{"items": [{"metadata": {}}]}"#, "metadata.name"),
    (#"{"items": [{"metadata": {"name": 7}}]}"#, "metadata.name"),
    (#"{"items": [3]}"#, "items[0]"),
    (
      #"{"items": [{"metadata": {"name": "a"}, "status": {"addresses": "#
        + #"[{"type": "InternalIP", "address": "a.b"}]}}]}"#,
      "InternalIP"
    ),
    (#"{"items": [}"#, "not JSON"),
    (#"{"items": []"#, "not JSON"),
  ])
  func brokenListsAreMalformed(text: String, mentioning word: String) {
    let thrown = parseFailure { try nodes(0, text) }
    guard case .malformed(_, let problem) = thrown else {
      Issue.record("expected malformed, got \(String(describing: thrown))")
      return
    }
    #expect(problem.contains(word), "\(problem)")
  }

  @Test func failuresBeforeJSON() {
    #expect(
      parseFailure { try nodes(1, "", stderr: "microk8s is not running, try microk8s start\n") }
        == .stopped
    )
    let refused = parseFailure {
      try nodes(
        1,
        "",
        stderr: "The connection to the server 127.0.0.1:16443 was refused - did you specify "
          + "the right host or port?\n"
      )
    }
    #expect(refused?.isTransient == true)
    guard case .apiServerUnavailable = refused else {
      Issue.record("got \(String(describing: refused))")
      return
    }
    guard case .unrecognised = parseFailure({ try nodes(0, "NAME STATUS\nnode1 Ready\n") }) else {
      Issue.record("a table is not JSON")
      return
    }
  }

  // MARK: - Versions

  @Test(arguments: [
    ("v1.28.3", Track(major: 1, minor: 28)),
    ("v1.24.0-2+59bbb3530b6769", Track(major: 1, minor: 24)),
    ("v1.31.1", Track(major: 1, minor: 31)),
    ("1.30.0", Track(major: 1, minor: 30)),
    ("v1.32.0-rc.1", Track(major: 1, minor: 32)),
    ("v1.29+abc", Track(major: 1, minor: 29)),
  ])
  func kubernetesVersionsGiveTheirTrack(text: String, track: Track) {
    #expect(Track(kubernetesVersion: text) == track)
  }

  @Test(arguments: [
    "", "v", "v1", "v1.", "v.28", "v1.28x", "vv1.28.3", "v1.2834.0", "1_28", "v１.28",
  ])
  func unreadableVersionsHaveNoTrack(text: String) {
    #expect(Track(kubernetesVersion: text) == nil)
  }

  @Test func observedNodeExposesItsTrack() {
    #expect(NodesSamples.expected[2].kubeletTrack == Track(major: 1, minor: 24))
    #expect(
      ObservedNode(name: "a", internalIP: nil, role: nil, ready: true, kubeletVersion: "")
        .kubeletTrack == nil
    )
  }

  @Test func microK8sVersionLine() throws {
    #expect(
      try MicroK8sOutput.version(CommandSamples.version.output)
        == MicroK8sVersion(version: "v1.28.3", track: Track(major: 1, minor: 28), revision: "6089")
    )
    let local = CommandOutput(exitStatus: 0, stdout: "MicroK8s v1.32.3 revision x1\n")
    #expect(try MicroK8sOutput.version(local).revision == "x1")
  }

  @Test func brokenVersionLines() {
    for text in ["MicroK8s v1.28.3\n", "MicroK8s banana revision 1\n", "MicroK8s v1.28.3 rev 1\n"] {
      guard
        case .malformed = parseFailure({
          try MicroK8sOutput.version(CommandOutput(exitStatus: 0, stdout: text))
        })
      else {
        Issue.record("\(text) should be malformed")
        continue
      }
    }
    #expect(
      parseFailure {
        try MicroK8sOutput.version(
          CommandOutput(exitStatus: 127, stderr: "microk8s: command not found")
        )
      }
        == .notInstalled
    )
    guard
      case .unrecognised = parseFailure({ try MicroK8sOutput.version(CommandOutput(exitStatus: 0)) }
      )
    else {
      Issue.record("empty output should be unrecognised")
      return
    }
  }
}
