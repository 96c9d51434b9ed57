/// Computes the plan that makes the observed cluster match the topology.
///
/// Pure and deterministic: no I/O, no clock, and the same inputs always give the same plan.
///
/// Order (DESIGN.md section 4): joins of mixed nodes in file order, then of workers;
/// role changes; removals (workers, then control-plane non-voters, then voters); ghost
/// cleanup. Every change is checked by replaying it on the datastore role model
/// (`DatastoreModel`); an unsafe one is blocked with a reason, and blocking one change
/// never stops an independent safe one from being planned.
public enum Planner {
  /// Choices only the operator can make, on the command line.
  public struct Options: Sendable, Equatable {
    /// Plan even when the file lists no node the cluster knows, or would have every
    /// member removed (the `--allow-foreign-topology` override).
    public var allowForeignTopology: Bool

    public init(allowForeignTopology: Bool = false) {
      self.allowForeignTopology = allowForeignTopology
    }
  }

  public static func plan(
    desired: Topology,
    observed: ObservedCluster,
    fingerprint: String,
    options: Options = Options()
  ) -> Plan {
    let membership = Membership.match(desired, observed)
    var planning = Planning(desired: desired, observed: observed, membership: membership)
    if let refusal = planning.foreignTopologyRefusal(), !options.allowForeignTopology {
      return Plan(
        cluster: desired.cluster.name,
        observedFingerprint: fingerprint,
        blocked: [refusal]
      )
    }
    planning.planJoins()
    planning.planRoleChanges()
    planning.planRemovals()
    planning.planGhostCleanup()
    return Plan(
      cluster: desired.cluster.name,
      observedFingerprint: fingerprint,
      changes: planning.changes,
      blocked: planning.blocked,
      warnings: planning.warnings
    )
  }
}

/// The state one planning run replays its changes on.
struct Planning {
  let desired: Topology
  let observed: ObservedCluster
  let membership: Membership
  /// The datastore as it will be after the changes planned so far.
  var members: [DatastoreMember]
  /// Datastore addresses whose node answers: only these count toward a quorum.
  var live: Set<NodeAddress>
  /// The node that runs add-node and remove-node; nil when no member can.
  var contact: NodeSpec?
  var changes: [Change] = []
  var blocked: [BlockedChange] = []
  var warnings: [String] = []
  /// Names of listed nodes that are, or by the planned changes will be, members.
  var joinedNames = Set<String>()

  init(desired: Topology, observed: ObservedCluster, membership: Membership) {
    self.desired = desired
    self.observed = observed
    self.membership = membership
    members = observed.datastore
    live = Self.liveAddresses(observed: observed, membership: membership)
    contact = observed.contact.flatMap { name in desired.nodes.first { $0.name == name } }
    for entry in membership.listed {
      if case .member = entry.status { joinedNames.insert(entry.spec.name) }
    }
  }

  /// A member is live when its node is Ready and was reached in this pass; a ghost's
  /// liveness is unknown, so it never counts toward a quorum.
  private static func liveAddresses(
    observed: ObservedCluster,
    membership: Membership
  ) -> Set<NodeAddress> {
    let unreachable = Set(observed.unreachable)
    var live = Set<NodeAddress>()
    for node in observed.nodes where node.ready && !unreachable.contains(node.name) {
      if let address = node.internalIP { live.insert(address) }
    }
    for entry in membership.listed where !unreachable.contains(entry.spec.name) {
      switch entry.status {
      case .member(let node, _), .addressMismatch(let node, _):
        if node.ready, let address = entry.spec.address { live.insert(address) }
      default: break
      }
    }
    return live
  }

  var voters: [NodeAddress] { DatastoreModel.voters(in: members) }

  mutating func block(_ action: Change.Action, _ node: String, _ reason: String) {
    blocked.append(BlockedChange(action: action, node: node, reason: reason))
  }
}
