/// Computes the plan that makes the observed cluster match the topology.
///
/// Pure and deterministic: no I/O, no clock, and the same inputs always give the same plan.
///
/// Order (DESIGN.md section 4): joins of mixed nodes in file order, then of workers;
/// role changes; removals (workers, then control-plane non-voters, then voters); ghost
/// cleanup; upgrades, one minor version at a time across the cluster. Every change is checked by replaying it on the datastore role model
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
    var planning = Planning(desired: desired, observed: observed)
    if let refusal = planning.foreignTopologyRefusal(), !options.allowForeignTopology {
      var plan = Plan(
        cluster: desired.cluster.name,
        observedFingerprint: fingerprint,
        blocked: [refusal]
      )
      plan.clusterIdentity = observed.identity
      return plan
    }
    planning.planJoins()
    planning.planRoleChanges()
    planning.planRemovals()
    planning.planGhostCleanup()
    planning.planDeferredJoins()
    planning.planUpgrades()
    planning.planDrift()
    VoterChoice.mark(
      &planning.changes,
      observedVoters: DatastoreModel.voters(in: observed.datastore)
    )
    var plan = Plan(
      cluster: desired.cluster.name,
      observedFingerprint: fingerprint,
      founder: planning.founder,
      changes: planning.changes,
      blocked: planning.blocked,
      warnings: planning.warnings
    )
    plan.clusterIdentity = observed.identity
    plan.kept = planning.kept
    return plan
  }
}

/// The state one planning run replays its changes on.
struct Planning {
  let desired: Topology
  let observed: ObservedCluster
  /// How each of `desired.nodes` relates to the observation (`Membership.match`).
  let matched: Membership.Matched
  /// The datastore as it will be after the changes planned so far.
  var datastore: DatastoreReplay
  /// Datastore addresses whose node answers (only these count toward a quorum); nil
  /// until first asked for (`live()`), which a plan changing no control-plane node
  /// never does.
  var knownLive: Set<NodeAddress>?
  /// The node that runs add-node and remove-node; nil when no member can.
  var contact: NodeSpec?
  /// Names that could not be reached in this pass (`observed.unreachable`).
  let unreachable: Set<String>
  /// Indices in `desired.nodes` of the reachable, Ready, listed control-plane members,
  /// in file order: who can stand in for the contact; nil until `contact(excluding:)`
  /// first needs one.
  var standInContacts: [Int]?
  /// The node that founds a brand-new cluster, when no member answered.
  var founder: String?
  /// How many of `changes` remove a node or a ghost.
  var removalCount = 0
  /// The ghosts' cleanup is already refused with the removals (`policy.maxRemovals`).
  var ghostsRefused = false
  /// Control-plane joins held back until the removals are planned, while a voter is
  /// down (`planJoin`); false once they are planned.
  var deferredJoins: [Int] = []
  var deferringJoins = true
  /// Ghosts whose removal a join at their address carries (`planJoin`).
  var clearedGhosts: Set<NodeAddress> = []
  /// Unlisted members kept because `policy.prune` is false.
  var kept: [String] = []
  /// Who goes by which name (`indexMachineNames`); empty when no probe named its host.
  var machinesByName: [String: [NodeAddress?]] = [:]
  /// `clusterTrackProblem`'s answer, once asked for (nil: not yet; `.some(nil)`: none).
  var clusterTrackVerdict: String??
  /// The track nodes join on (`Planning.joinTrack(of:)`).
  let joinTrack: Track
  var changes: [Change] = []
  var blocked: [BlockedChange] = []
  var warnings: [String] = []

  init(desired: Topology, observed: ObservedCluster) {
    self.desired = desired
    self.observed = observed
    let matched = Membership.Matched(desired, observed)
    self.matched = matched
    datastore = DatastoreReplay(observed.datastore)
    let unreachable = Set(observed.unreachable)
    self.unreachable = unreachable
    contact = observed.contact.flatMap { name in desired.nodes.first { $0.name == name } }
    joinTrack = Self.joinTrack(of: observed, wanted: desired.cluster.version)
    if DatastoreModel.voters(in: observed.datastore).count == 2 {
      datastore = DatastoreReplay(settling(observed.datastore))
    }
  }

  /// The members as the dqlite leader's next role adjustment leaves them, when their
  /// roles are in the window after a shrink from three voters; else as observed.
  ///
  /// Two voters is never a count the leader aims for (1, or 3): a voter that left was
  /// not yet replaced, or the one to demote not yet demoted, and the leader does so at
  /// its next adjustment (go-dqlite `app/app.go`, every 30 s). Planned from the roles it
  /// settles to, a removal in that window is not refused for good; the executor waits
  /// for the adjustment before it takes any voter out (`Executor.confirmVoterRemoval`).
  ///
  /// The leader needs both voters live; it promotes only a member that answers, and
  /// with two members it demotes the other voter (the model keeps the first: which one
  /// stays is the raft leader's choice).
  mutating func settling(_ members: [DatastoreMember]) -> [DatastoreMember] {
    let voters = DatastoreModel.voters(in: members)
    guard voters.count == 2, voters.allSatisfy({ isLive($0) }) else { return members }
    guard members.count >= 3 else { return DatastoreModel.rebalance(members) }
    var result = members
    for role in [DatastoreRole.standby, .spare] {
      if let index = result.indices.first(where: {
        result[$0].role == role && isLive(result[$0].address)
      }) {
        result[index].role = .voter
        return result
      }
    }
    return members
  }

  /// The datastore addresses whose node answers, as the changes so far leave them.
  ///
  /// Hold no copy of it across `setLive`, which would then copy the whole set.
  mutating func live() -> Set<NodeAddress> {
    if knownLive == nil { knownLive = liveAddresses() }
    return knownLive ?? []
  }

  /// Whether the member at `address` answers.
  mutating func isLive(_ address: NodeAddress) -> Bool {
    if knownLive == nil { knownLive = liveAddresses() }
    return knownLive?.contains(address) ?? false
  }

  /// Records that a member at `address` answers (a joiner) or is gone (`false`).
  mutating func setLive(_ address: NodeAddress, _ isLive: Bool) {
    if knownLive == nil { knownLive = liveAddresses() }
    if isLive {
      knownLive?.insert(address)
    } else {
      knownLive?.remove(address)
    }
  }

  /// A member is live when its node is Ready and was reached in this pass; a ghost's
  /// liveness is unknown, so it never counts toward a quorum.
  ///
  /// Only a datastore member's liveness is ever asked for: one observed, or a mixed
  /// node of the file that joins. Other addresses are left out.
  private func liveAddresses() -> Set<NodeAddress> {
    var candidates = observed.datastore.map(\.address)
    for index in desired.nodes.indices where desired.nodes[index].role == .mixed {
      if let address = desired.nodes[index].address { candidates.append(address) }
    }
    var table = PositionTable(capacity: candidates.count)
    for (index, address) in candidates.enumerated() {
      let hash = PositionTable.hash(address)
      _ = table.insert(index, hash: hash, replacing: false, where: { candidates[$0] == address })
    }
    func isCandidate(_ address: NodeAddress) -> Bool {
      let hash = PositionTable.hash(address)
      return table.position(hash: hash, where: { candidates[$0] == address }) != nil
    }
    var live = Set<NodeAddress>()
    for node in observed.nodes where node.ready && !isUnreachable(node.name) {
      if let address = node.internalIP, isCandidate(address) { live.insert(address) }
    }
    // A member's own address is its InternalIP, added above; on a multi-NIC host the
    // declared address is live too.
    for index in desired.nodes.indices where matched.entries[index].kind == .addressMismatch {
      guard case .addressMismatch(let node, _) = matched.status(index), node.ready,
        !isUnreachable(desired.nodes[index].name), let address = desired.nodes[index].address,
        isCandidate(address)
      else { continue }
      live.insert(address)
    }
    return live
  }

  func isUnreachable(_ name: String) -> Bool {
    !unreachable.isEmpty && unreachable.contains(name)
  }

  /// The status `Membership.match` gives the first listed node with the same name as
  /// `desired.nodes[index]`: the one the observation is read for.
  func status(ofNamesake index: Int) -> Membership.Status {
    guard let node = matched.nodeIndex(index), let first = matched.firstSpecIndices[node] else {
      // No node has the name, so every listed node with it has the same status.
      return matched.status(index)
    }
    return matched.status(first)
  }

  var voters: [NodeAddress] { datastore.voters }

  /// A datastore address for messages, as in `node3 (192.168.1.12)`.
  ///
  /// The node observed there, else the listed one, else the bare address (a ghost).
  /// Only blocked changes ask, so a linear scan is fine.
  func named(_ address: NodeAddress) -> String {
    let name =
      observed.nodes.first { $0.internalIP == address }?.name
      ?? desired.nodes.first { $0.address == address }?.name
    return name.map { "\($0) (\(address))" } ?? address.description
  }

  /// A removal problem in words, naming the voters that are down when quorum is short.
  mutating func explain(_ problem: DatastoreModel.RemovalProblem) -> String {
    guard case .quorumLost = problem else { return problem.description }
    var down: [String] = []
    for voter in voters where !isLive(voter) { down.append(named(voter)) }
    guard !down.isEmpty else { return problem.description }
    return problem.description + ". Voters down: " + down.joined(separator: ", ")
  }

  mutating func block(
    _ action: BlockedChange.Action,
    _ node: String,
    _ reason: String,
    stopsApply: Bool = false
  ) {
    blocked.append(
      BlockedChange(action: action, node: node, reason: reason, stopsApply: stopsApply)
    )
  }
}
