/// What a successful `microk8s join` (exit 0) printed.
///
/// Exit 0 is not proof of membership: the control-plane wait gives up silently and
/// still exits 0 (contract section 3.3, step 10). Only observation confirms a join.
public struct JoinReport: Sendable, Equatable {
  /// The address from `Contacting cluster at <IP>`.
  public var contacted: NodeAddress?
  /// `Successfully joined the cluster.` was printed (MicroK8s 1.29+ only).
  public var printedSuccess: Bool
  /// The worker paragraph was printed: the node joined as a worker.
  public var joinedAsWorker: Bool
  public var warnings: [JoinWarning]

  public init(
    contacted: NodeAddress?,
    printedSuccess: Bool,
    joinedAsWorker: Bool,
    warnings: [JoinWarning]
  ) {
    self.contacted = contacted
    self.printedSuccess = printedSuccess
    self.joinedAsWorker = joinedAsWorker
    self.warnings = warnings
  }
}

/// A warning join prints without failing (contract section 3.3).
public enum JoinWarning: Sendable, Equatable {
  /// Hostpath storage is enabled; it does not suit multi-node clusters.
  case hostpathStorage
  /// The joined cluster's pod CIDR differs from the node's; the detail line as printed.
  case differentClusterCIDR(detail: String)
}
