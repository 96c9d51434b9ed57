import Testing

/// A small membership change for a fault to hit, with the cluster it should end in.
enum FaultScenario: String, Sendable, CaseIterable {
  /// Fresh node1 and node2: node1 founds the cluster, node2 joins it.
  case joinMixed
  /// Fresh node1 and worker1: worker1 joins as a worker.
  case joinWorker
  /// node1 with worker1 joined; worker1 marked absent: leave, then remove-node.
  case removeWorker
  /// node1..3 joined; node3 marked absent: leave on node3, remove-node on node1.
  case removeControlPlane
  /// node1..3 joined, node3's host down and marked absent: remove-node node3 --force.
  case evictDownNode
  /// node1, and worker1 a bare machine: MicroK8s installed on it, then it joins.
  case installWorker

  typealias Node = ApplyLab.Node

  var hosts: [String] {
    switch self {
    case .joinMixed: ["node1", "node2"]
    case .joinWorker, .removeWorker, .installWorker: ["node1", "worker1"]
    case .removeControlPlane, .evictDownNode: ["node1", "node2", "node3"]
    }
  }

  /// Hosts that are not a standalone MicroK8s named as the test names them.
  var specs: [String: String] {
    self == .installWorker ? ["worker1": "worker1:bare"] : [:]
  }

  /// The topology applied before the fault is injected, if any.
  var before: [Node]? {
    switch self {
    case .joinMixed, .joinWorker, .installWorker: nil
    case .removeWorker: [.mixed("node1"), .worker("worker1")]
    case .removeControlPlane, .evictDownNode: [.mixed("node1"), .mixed("node2"), .mixed("node3")]
    }
  }

  /// The topology the test applies.
  var topology: [Node] {
    switch self {
    case .joinMixed: [.mixed("node1"), .mixed("node2")]
    case .joinWorker, .installWorker: [.mixed("node1"), .worker("worker1")]
    case .removeWorker: [.mixed("node1"), .absent("worker1", role: "worker")]
    case .removeControlPlane, .evictDownNode: [.mixed("node1"), .mixed("node2"), .absent("node3")]
    }
  }

  /// node1's cluster once converged: datastore role and Kubernetes role by name.
  var goal: (datastore: [String: String], nodes: [String: String]) {
    switch self {
    case .joinMixed, .removeControlPlane, .evictDownNode:
      (["node1": "voter", "node2": "spare"], ["node1": "control-plane", "node2": "control-plane"])
    case .joinWorker, .installWorker:
      (["node1": "voter"], ["node1": "control-plane", "worker1": "worker"])
    case .removeWorker: (["node1": "voter"], ["node1": "control-plane"])
    }
  }
}
