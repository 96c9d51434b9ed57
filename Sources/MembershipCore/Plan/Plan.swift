/// What it takes to make the cluster match the topology: a value, not a procedure.
///
/// Dry-run is rendering this value; apply executes it; the text and JSON forms are
/// rendered from it alone, so they cannot disagree. Changes are executed in order, one
/// at a time, and the cluster is observed again after each.
public struct Plan: Sendable, Hashable {
  /// The topology's cluster name.
  public var cluster: String
  /// The fingerprint of the observation the plan was made from; apply refuses a saved
  /// plan when the cluster no longer has it.
  public var observedFingerprint: String
  /// The node whose standalone MicroK8s becomes a brand-new cluster.
  ///
  /// Set when no member answered: the first mixed node in file order (DESIGN.md
  /// section 3). It needs no step (a standalone MicroK8s is a one-node cluster); the
  /// others join it.
  public var founder: String?
  public var changes: [Change]
  public var blocked: [BlockedChange]
  public var warnings: [String]
  /// The identity of the cluster the plan was made for (`ObservedCluster.identity`).
  public var clusterIdentity: String?
  /// Members the topology does not list, kept because `policy.prune` is false: not
  /// drift the file asks to remove, but never "matches the topology" either.
  public var kept: [String] = []
  /// The topology file the plan was made from, for a plan saved to apply later.
  public var topology: PlanTopology?

  public init(
    cluster: String,
    observedFingerprint: String,
    founder: String? = nil,
    changes: [Change] = [],
    blocked: [BlockedChange] = [],
    warnings: [String] = []
  ) {
    self.cluster = cluster
    self.observedFingerprint = observedFingerprint
    self.founder = founder
    self.changes = changes
    self.blocked = blocked
    self.warnings = warnings
  }

  /// Nothing to do and nothing refused.
  ///
  /// Every present node is a Ready member with its role, on the file's track, no absent node is a
  /// member and no ghost is left. Members the file does not list may remain (`kept`).
  public var isEmpty: Bool { changes.isEmpty && blocked.isEmpty }

  public func count(_ action: Change.Action) -> Int {
    changes.reduce(0) { $0 + ($1.action == action ? 1 : 0) }
  }
}
