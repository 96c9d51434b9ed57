/// What `microk8s kubectl get nodes -o json` says (contract section 7).
public enum NodeListing: Sendable, Equatable {
  /// The Kubernetes nodes, in the order kubectl listed them.
  case nodes([ObservedNode])
  /// The node is a worker: kubectl prints a sentence, not JSON, and exits 0 (contract
  /// section 1).
  case worker
}
