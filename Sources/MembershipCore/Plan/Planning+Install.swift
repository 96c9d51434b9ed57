/// Installing MicroK8s on listed hosts that lack it (`policy.install`).
extension Planning {
  /// Whether `desired.nodes[index]`'s probe found no MicroK8s on the host.
  func lacksMicroK8s(_ index: Int) -> Bool {
    matched.probe(index)?.finding == .microK8sMissing
  }

  /// Why a host without MicroK8s cannot have it installed now; nil when it can.
  func installProblem(_ spec: NodeSpec) -> String? {
    let command =
      "on it run: sudo snap install microk8s --classic --channel=\(joinTrack.channel)"
    guard desired.policy.install else {
      return "MicroK8s is not installed on \(spec.name) (or cannot be run), and policy.install "
        + "is false; " + command
    }
    guard spec.snapCommand != nil else {
      return "MicroK8s is not installed on \(spec.name) (or cannot be run), and its microk8s "
        + "command does not end in microk8s, so how to run snap there cannot be told; give "
        + "the node a 'snap:' command (such as [\"sudo\", \"-n\", \"snap\"]), or " + command
    }
    return nil
  }

  /// `snap install microk8s --classic --channel=...` on `spec`'s host, on the track it
  /// is to join (or found the cluster) on: the cluster's, while an upgrade is under way.
  func installStep(_ spec: NodeSpec) -> Step {
    Step(
      .install,
      on: spec.name,
      arguments: ["microk8s", "--classic", "--channel=\(joinTrack.channel)"]
    )
  }
}
