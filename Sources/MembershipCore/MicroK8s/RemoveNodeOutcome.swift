/// How `microk8s remove-node NODE [--force]` ended, when it did what was asked
/// (contract section 5).
public enum RemoveNodeOutcome: Sendable, Equatable {
  /// Exit 0, nothing printed: the Node object (and its datastore entry, with --force)
  /// is gone.
  case removed
  /// Exit 1 with `Node <x> does not exist in Kubernetes.`: there was no such Node, so
  /// the goal holds. With --force an entry `<x>:…` was also looked for in the datastore;
  /// `removedDatastoreEntry` tells whether one was found and removed (the ghost cleanup
  /// of contract section 11, item 9, which exits 1 even when it worked).
  case notInKubernetes(removedDatastoreEntry: Bool)
}
