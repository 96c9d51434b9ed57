/// One change to the cluster's membership: touches exactly one node, and is carried
/// out as a short list of steps, in order, one at a time.
public struct Change: Sendable, Hashable {
  public enum Action: String, Sendable, Hashable, CaseIterable {
    case join
    case remove
    /// leave + remove-node + rejoin with the new role.
    case changeRole = "change-role"
    /// `remove-node IP --force` for a datastore member that matches no node.
    case cleanupGhost = "cleanup-ghost"
    /// `snap install` on the bare host that founds a brand-new cluster (a node that
    /// joins is installed within its join).
    case install
    /// cordon, drain, `snap refresh` one minor version up, uncordon.
    case upgrade
  }

  public var action: Action
  /// The node's name, or for a ghost its datastore address.
  public var node: String
  public var address: NodeAddress?
  /// The role the node has after the change (nil for removals and ghosts).
  public var role: Role?
  public var steps: [Step]
  /// The datastore voters the model predicts once this change is done.
  public var votersAfter: [NodeAddress]
  /// When not empty, the one voter after this change is whichever of these the raft
  /// leader is; `votersAfter` holds the model's deterministic guess (`VoterChoice`).
  public var voterOneOf: [NodeAddress] = []
  /// For an upgrade: the track the node runs after it.
  public var version: Track?
  /// For an upgrade: which nodes run which track once it is done, newest first.
  public var versionsAfter: [Versions] = []

  /// The nodes that run one track.
  public struct Versions: Sendable, Hashable {
    public var track: String
    public var nodes: [String]

    public init(track: String, nodes: [String]) {
      self.track = track
      self.nodes = nodes
    }
  }
  /// Why the planner chose this change.
  ///
  /// For rendering only: the executor must not branch on it.
  public var reason: String

  public init(
    action: Action,
    node: String,
    address: NodeAddress?,
    role: Role?,
    steps: [Step],
    votersAfter: [NodeAddress],
    reason: String
  ) {
    self.action = action
    self.node = node
    self.address = address
    self.role = role
    self.steps = steps
    self.votersAfter = votersAfter
    self.reason = reason
  }
}

/// A change the planner refused, with a reason a person can act on.
public struct BlockedChange: Sendable, Hashable {
  /// The change that was refused: one of `Change.Action`, or an address change.
  public enum Action: String, Sendable, Hashable, CaseIterable {
    case join
    case remove
    case changeRole = "change-role"
    case cleanupGhost = "cleanup-ghost"
    /// A member runs at another address than the file declares. mktopo never plans
    /// this itself: dqlite and the certificates keep the old IP (microk8s-contract.md
    /// section 11, pitfall 8), so the operator decides between correcting the file and
    /// a removal plus a new node.
    case changeAddress = "change-address"
    /// A member runs another MicroK8s track than the file asks for, and no upgrade can
    /// bring it there (a downgrade, or another major version).
    case changeVersion = "change-version"
    /// An upgrade that cannot be carried out now (a node down, a voter at risk).
    case upgrade
    /// A member is not Ready (or a control-plane node is missing from the datastore):
    /// nothing mktopo can do makes it so; the plan names it as drift until it is.
    case repair
  }

  public var action: Action
  public var node: String
  public var reason: String
  /// The refusal concerns the whole file rather than one node.
  ///
  /// It would remove every member, names none of them, or removes more than
  /// `policy.maxRemovals`; `apply` then changes nothing at all, not even the safe
  /// changes.
  public var stopsApply: Bool

  public init(action: Action, node: String, reason: String, stopsApply: Bool = false) {
    self.action = action
    self.node = node
    self.reason = reason
    self.stopsApply = stopsApply
  }
}
