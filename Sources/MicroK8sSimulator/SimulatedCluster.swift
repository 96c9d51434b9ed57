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

  public init(id: Int, members: [DatastoreMember], nodes: [KubernetesNode]) {
    self.id = id
    self.members = members
    self.nodes = nodes
  }

  func memberIndex(host address: String) -> Int? {
    members.firstIndex { $0.host == address }
  }

  func nodeIndex(named name: String) -> Int? {
    nodes.firstIndex { $0.name == name }
  }

  /// Registers a node, or takes over the object of the same name: two machines with one
  /// hostname share one Node (contract §11.6).
  mutating func register(_ node: KubernetesNode) {
    if let index = nodeIndex(named: node.name) {
      let createdAt = nodes[index].createdAt
      nodes[index] = node
      nodes[index].createdAt = createdAt
    } else {
      nodes.append(node)
    }
  }
}
