/// The observed membership beside the topology, one row per node: what `mktopo status`
/// shows.
///
/// Rows come in a fixed order: the file's nodes in file order, then members the file
/// does not list (by name), then datastore ghosts (by address). Built from a
/// `Membership` match, so status and plan can never disagree on who is who.
public struct ClusterStatus: Sendable, Equatable {
  /// Something about a node that does not match the topology, or needs attention.
  public enum Drift: String, Sendable, Hashable, CaseIterable {
    /// Listed and present, but not a member: a plan would join it.
    case notJoined = "not-joined"
    /// Listed as `state: absent` but still a member: a plan would remove it.
    case absentButMember = "absent-but-member"
    /// A member running the other role.
    case roleDiffers = "role-differs"
    /// A member whose InternalIP is not the declared address.
    case addressDiffers = "address-differs"
    /// A member on another MicroK8s track than the file asks for.
    case versionDiffers = "version-differs"
    /// A member the file does not list.
    case unlisted
    /// A datastore member of no node.
    case ghost
    /// A member whose Ready condition is not True.
    case notReady = "not-ready"
    /// Its Node is still registered, but its MicroK8s left the cluster (standalone now):
    /// a plan joins it again.
    case left = "left-cluster"
    /// A member the file does not list by name, at an address the file declares for
    /// another name: a misspelt name, never pruned.
    case misnamed = "listed-under-another-name"
    /// The host could not be reached in this pass.
    case unreachable
  }

  public struct Row: Sendable, Equatable {
    public var name: String
    /// The declared address, else the observed InternalIP (or a ghost's address).
    public var address: NodeAddress?
    /// What the file asks for; nil when the file does not list the node.
    public var desiredRole: Role?
    /// `state: absent` in the file.
    public var absent: Bool
    /// The role it runs as a member; nil when not a member.
    public var role: Role?
    public var ready: Bool
    /// The kubelet version of a member, or the track a probe found.
    public var version: String?
    /// The track the file asks for (its `version`, else the cluster's); nil when the file
    /// does not list the node, or marks it absent.
    public var desiredVersion: String? = nil
    public var datastoreRole: DatastoreRole?
    public var inTopology: Bool
    /// Reached in this pass; nil when nothing was asked of the host: a member other than
    /// the contact (a converged pass asks only the contact), an unlisted member, which
    /// mktopo has no connection to, a ghost, or a node nobody probed.
    public var reachable: Bool?
    /// For a listed non-member: what a probe of the host found.
    public var probe: NodeProbe.Finding?
    public var drift: [Drift]
  }

  public var cluster: String
  /// The node the cluster was read through; nil when no member answered.
  public var contact: String?
  /// The cluster's identity, the UID of its `kube-system` namespace, when read.
  public var identity: String?
  public var rows: [Row]

  /// Voters in the datastore, and whether the datastore can lose one (3 or more).
  public var voterCount: Int
  public var highAvailability: Bool { voterCount >= 3 }

  /// Nodes with at least one drift marker.
  public var driftCount: Int { rows.reduce(0) { $0 + ($1.drift.isEmpty ? 0 : 1) } }

  public init(topology: Topology, observed: ObservedCluster) {
    let membership = Membership.match(topology, observed)
    let unreachable = Set(observed.unreachable)
    cluster = topology.cluster.name
    contact = observed.contact
    identity = observed.identity
    voterCount = observed.datastore.reduce(0) { $0 + ($1.role == .voter ? 1 : 0) }
    rows = membership.listed.map {
      Self.row($0, unreachable: unreachable, contact: observed.contact)
    }
    let declared = Set(topology.nodes.compactMap(\.address))
    for node in membership.unlisted {
      var drift: [Drift] = [.unlisted]
      if let address = node.internalIP, declared.contains(address) { drift.append(.misnamed) }
      if !node.ready { drift.append(.notReady) }
      rows.append(
        Row(
          name: node.name,
          address: node.internalIP,
          desiredRole: nil,
          absent: false,
          role: node.role,
          ready: node.ready,
          version: node.kubeletVersion,
          datastoreRole: node.internalIP.flatMap { address in
            observed.datastore.first { $0.address == address }?.role
          },
          inTopology: false,
          reachable: nil,
          probe: nil,
          drift: drift
        )
      )
    }
    for ghost in membership.ghosts {
      rows.append(
        Row(
          name: ghost.address.withPort(ghost.port),
          address: ghost.address,
          desiredRole: nil,
          absent: false,
          role: nil,
          ready: false,
          version: nil,
          datastoreRole: ghost.role,
          inTopology: false,
          reachable: nil,
          probe: nil,
          drift: [.ghost]
        )
      )
    }
  }

  private static func row(
    _ listed: Membership.Listed,
    unreachable: Set<String>,
    contact: String?
  ) -> Row {
    let spec = listed.spec
    var row = Row(
      name: spec.name,
      address: spec.address,
      desiredRole: spec.role,
      absent: spec.state == .absent,
      role: nil,
      ready: false,
      version: nil,
      datastoreRole: nil,
      inTopology: true,
      reachable: unreachable.contains(spec.name) ? false : spec.name == contact ? true : nil,
      probe: nil,
      drift: []
    )
    if spec.state == .present { row.desiredVersion = spec.version.track }
    switch listed.status {
    case .member(let node, let datastoreRole), .addressMismatch(let node, let datastoreRole):
      row.role = node.role ?? (datastoreRole == nil ? .worker : .mixed)
      row.ready = node.ready
      row.version = node.kubeletVersion
      row.datastoreRole = datastoreRole
      if case .addressMismatch = listed.status { row.drift.append(.addressDiffers) }
      if spec.state == .absent {
        row.drift.append(.absentButMember)
      } else if row.role != spec.role {
        row.drift.append(.roleDiffers)
      }
      if let track = node.kubeletTrack,
        track.major != spec.version.major || track.minor != spec.version.minor
      {
        row.drift.append(.versionDiffers)
      }
      if !node.ready { row.drift.append(.notReady) }
    case .left(let node, let track):
      row.role = nil
      row.ready = node.ready
      row.version = track.track
      row.reachable = true
      if spec.state == .present { row.drift.append(.left) }
    case .probed(let finding):
      row.probe = finding
      row.reachable = finding != .unreachable
      switch finding {
      case .standalone(let track), .lowMemoryGuard(.some(let track)): row.version = track.track
      default: break
      }
      if spec.state == .present { row.drift.append(.notJoined) }
    case .unreachable:
      row.reachable = false
      if spec.state == .present { row.drift.append(.notJoined) }
    case .notObserved:
      if spec.state == .present { row.drift.append(.notJoined) }
    }
    if row.reachable == false { row.drift.append(.unreachable) }
    return row
  }
}
