/// One datastore: its dqlite members and the Kubernetes objects it holds.
///
/// Every host always belongs to exactly one of these: a fresh host to its own
/// single-member datastore, a joined host to the cluster it joined.
public struct SimulatedCluster: Codable, Sendable, Equatable {
  public var id: Int
  /// In the order dqlite lists them: the order they joined.
  public var members: [DatastoreMember]
  public var nodes: [KubernetesNode]
  /// When the leader next adjusts roles (the rebalance-delay setting); `nil` when settled.
  public var rebalanceAt: Double?
  /// The host whose member won the last raft election; nil until one is forced (then the
  /// first online voter leads, as the founder usually does).
  public var leader: String?
  /// When the datastore was initialised: the creation time of its namespaces.
  public var createdAt: Double
  /// The UID of the `kube-system` namespace: what a cluster holds that no other does.
  ///
  /// Created once when the datastore is initialised (install, or the re-initialisation
  /// `leave` does) and carried by every node that joins it, as a joiner takes over the
  /// cluster's datastore (contract §3.3).
  public var kubeSystemUID: String
  /// The workloads' pods, for `kubectl drain` (`microk8s-sim pod`).
  public var pods: [SimulatedPod] = []
  /// PodDisruptionBudgets (`microk8s-sim pdb`).
  public var budgets: [DisruptionBudget] = []

  public init(
    id: Int,
    members: [DatastoreMember],
    nodes: [KubernetesNode],
    createdAt: Double,
    kubeSystemUID: String
  ) {
    self.id = id
    self.members = members
    self.nodes = nodes
    self.createdAt = createdAt
    self.kubeSystemUID = kubeSystemUID
  }

  /// The namespaces every MicroK8s datastore starts with, `kube-system` last.
  public var namespaces: [(name: String, uid: String)] {
    ["default", "kube-node-lease", "kube-public"].map {
      ($0, HexDigest.uid("namespace \($0) \(kubeSystemUID)"))
    } + [("kube-system", kubeSystemUID)]
  }

  func memberIndex(host address: String) -> Int? {
    members.firstIndex { $0.host == address }
  }

  func nodeIndex(named name: String) -> Int? {
    nodes.firstIndex { $0.name == name }
  }

  /// Registers a node, or takes over the object of the same name.
  ///
  /// Two machines with one hostname share one Node (contract §11.6). The object keeps its
  /// spec: a kubelet that registers again does not uncordon its node (only deleting the
  /// object does).
  mutating func register(_ node: KubernetesNode) {
    if let index = nodeIndex(named: node.name) {
      let (createdAt, unschedulable) = (nodes[index].createdAt, nodes[index].unschedulable)
      nodes[index] = node
      nodes[index].createdAt = createdAt
      nodes[index].unschedulable = unschedulable
    } else {
      nodes.append(node)
    }
  }
}
