/// The cordon and drain before a node leaves, and the uncordon after it is back.
extension Planning {
  /// What happens to a departing node's pods.
  enum Drain: Equatable {
    /// cordon + drain through the contact, before the node leaves.
    case drained
    /// `policy.drain: false`: the operator moves the pods, or lets them be rescheduled.
    case off
    /// The node is not Ready: no kubelet to stop its pods, so a drain could only time
    /// out. Its pods are rescheduled once the Node is removed.
    case notReady
  }

  /// How a node leaving now is drained; `ready` is its Node's Ready condition.
  func drain(ready: Bool) -> Drain {
    guard desired.policy.drain else { return .off }
    return ready ? .drained : .notReady
  }

  /// `kubectl cordon` and `kubectl drain` of `name` on `runner`, for `.drained`.
  ///
  /// Cordoned first, so that nothing is scheduled onto the node while the drain waits
  /// on a budget; `--ignore-daemonsets` because a DaemonSet's pod is recreated on the
  /// node at once whatever happens, `--delete-emptydir-data` because a departing node's
  /// scratch space goes with it either way. No `--force`: a pod without a controller is
  /// not recreated anywhere, so the drain refuses it and the operator decides.
  func drainSteps(_ name: String, on runner: NodeSpec, _ drain: Drain) -> [Step] {
    guard drain == .drained else { return [] }
    let seconds = max(1, desired.policy.drainTimeout.components.seconds)
    return [
      Step(.cordon, on: runner.name, arguments: [name]),
      Step(
        .drain,
        on: runner.name,
        arguments: [
          name, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=\(seconds)s",
        ]
      ),
    ]
  }

  /// `kubectl uncordon` of `name` on `runner` once it is back, when it was drained.
  func uncordonSteps(_ name: String, on runner: NodeSpec, _ drain: Drain) -> [Step] {
    drain == .drained ? [Step(.uncordon, on: runner.name, arguments: [name])] : []
  }

  /// The words a change's reason gets when its node is not drained for being down.
  static func notDrainedNote(_ drain: Drain) -> String {
    drain == .notReady
      ? "; not drained, as its Node is not Ready"
      : ""
  }
}
