/// What the control plane's controllers do with pods when nodes come and go: the pod
/// garbage collector deletes pods bound to a Node that no longer exists (kube-controller-
/// manager's podgc), a ReplicaSet replaces its deleted pods, and the scheduler places
/// Pending pods on a schedulable Ready node. A new pod turns Ready `replacementStart`
/// after it is placed.
extension World {
  /// Schedulable (not cordoned) Ready nodes, in the cluster's order.
  func schedulableNodes(clusterIndex: Int, now: Double) -> [String] {
    let cluster = clusters[clusterIndex]
    return cluster.nodes.filter {
      !$0.unschedulable && readiness(of: $0, in: cluster, at: now) == .ready
    }.map(\.name)
  }

  /// Deletes the pods of Nodes that were deleted; their ReplicaSets start replacements.
  mutating func collectOrphanedPods(clusterIndex: Int, now: Double) {
    let names = Set(clusters[clusterIndex].nodes.map(\.name))
    let orphans = clusters[clusterIndex].pods.filter { pod in
      pod.node.map { !names.contains($0) } ?? false
    }
    guard !orphans.isEmpty else { return }
    let targets = schedulableNodes(clusterIndex: clusterIndex, now: now)
    clusters[clusterIndex].pods.removeAll { orphans.contains($0) }
    for pod in orphans where pod.owner == .replicaSet {
      clusters[clusterIndex].pods.append(
        Self.replacement(of: pod, among: clusters[clusterIndex].pods, on: targets.first, at: now)
      )
    }
  }

  /// Places Pending pods, when a node can take them (after an uncordon).
  mutating func schedulePendingPods(clusterIndex: Int, now: Double) {
    guard let target = schedulableNodes(clusterIndex: clusterIndex, now: now).first else { return }
    for index in clusters[clusterIndex].pods.indices
    where clusters[clusterIndex].pods[index].node == nil {
      clusters[clusterIndex].pods[index].node = target
      clusters[clusterIndex].pods[index].readyAt = now + Self.replacementStart
    }
  }

  /// A ReplicaSet's new pod in place of `pod`.
  ///
  /// Named with the first free `NAME-1`, `NAME-2`, ... of its namespace, on `node` (nil:
  /// Pending), Ready `replacementStart` after `time`.
  static func replacement(
    of pod: SimulatedPod,
    among pods: [SimulatedPod],
    on node: String?,
    at time: Double
  ) -> SimulatedPod {
    var number = 1
    while pods.contains(where: {
      $0.namespace == pod.namespace && $0.name == "\(pod.name)-\(number)"
    }) {
      number += 1
    }
    var replacement = pod
    replacement.name = "\(pod.name)-\(number)"
    replacement.node = node
    replacement.readyAt = time + replacementStart
    return replacement
  }
}
