/// The `policy:` block: what the planner may do, and how long steps may take.
public struct Policy: Sendable, Equatable {
  /// Also remove members that the file does not list.
  public var prune: Bool
  /// Refuse a plan that removes more members than this.
  public var maxRemovals: Int
  /// Allow `remove-node IP --force` for datastore members that match no node.
  public var cleanupGhosts: Bool
  public var joinTimeout: Duration
  public var readyTimeout: Duration
  public var leaveTimeout: Duration
  public var tokenTTL: Duration
  /// How long one read (`status`, `kubectl get`, `version`) may take: a node that does
  /// not answer in time is read no further in that pass, and the next one is asked.
  public var readTimeout: Duration
  /// Drain a node (cordon, then `kubectl drain`) before it leaves the cluster, and
  /// uncordon it after a role change's rejoin.
  public var drain: Bool
  /// How long one `kubectl drain` may wait for its evictions (a disruption budget that
  /// refuses them keeps it waiting until then).
  public var drainTimeout: Duration
  /// Install MicroK8s (`snap install`) on a listed host that lacks it, before its join.
  public var install: Bool
  /// Where each field was written, by key (`maxRemovals`, ...); empty for defaults.
  public var positions: [String: SourcePosition] = [:]

  public init(
    prune: Bool = false,
    maxRemovals: Int = 1,
    cleanupGhosts: Bool = false,
    joinTimeout: Duration = .seconds(5 * 60),
    readyTimeout: Duration = .seconds(10 * 60),
    leaveTimeout: Duration = .seconds(5 * 60),
    tokenTTL: Duration = .seconds(10 * 60),
    readTimeout: Duration = .seconds(20),
    drain: Bool = true,
    drainTimeout: Duration = .seconds(5 * 60),
    install: Bool = true
  ) {
    self.prune = prune
    self.maxRemovals = maxRemovals
    self.cleanupGhosts = cleanupGhosts
    self.joinTimeout = joinTimeout
    self.readyTimeout = readyTimeout
    self.leaveTimeout = leaveTimeout
    self.tokenTTL = tokenTTL
    self.readTimeout = readTimeout
    self.drain = drain
    self.drainTimeout = drainTimeout
    self.install = install
  }
}
