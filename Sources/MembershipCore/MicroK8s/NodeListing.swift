/// What `microk8s kubectl get nodes,namespaces -o json` says (contract section 7).
public enum NodeListing: Sendable, Equatable {
  /// The Kubernetes nodes, in the order kubectl listed them, and the cluster's identity:
  /// the UID of its `kube-system` namespace, when the listing holds namespaces.
  ///
  /// The namespace is created once, when a datastore is initialised, and a node that
  /// joins takes over the cluster's datastore (contract section 3.3), so every member
  /// reports the same UID and no other cluster does.
  case nodes([ObservedNode], clusterIdentity: String?)
  /// The node is a worker: kubectl prints a sentence, not JSON, and exits 0 (contract
  /// section 1).
  case worker
}

/// The nodes a control-plane node lists, and the identity of its cluster.
public struct ClusterListing: Sendable, Equatable {
  public var nodes: [ObservedNode]
  /// The `kube-system` namespace's UID; nil when the listing held no namespaces.
  public var identity: String?

  public init(nodes: [ObservedNode], identity: String?) {
    self.nodes = nodes
    self.identity = identity
  }
}
