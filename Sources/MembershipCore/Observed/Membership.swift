/// How each node of the topology relates to what was observed, and what the cluster
/// has that the topology does not list.
///
/// Identity is exact (DESIGN.md section 3): a topology node is a Kubernetes node with
/// the same name; its InternalIP must equal the declared address; a datastore member
/// belongs to the node whose address it carries. Nothing is guessed: a near miss is a
/// mismatch the operator sees, not a match.
public struct Membership: Sendable, Equatable {
  /// What the cluster says about one listed node.
  public enum Status: Sendable, Equatable {
    /// A Kubernetes node with this name and the declared address.
    case member(ObservedNode, datastoreRole: DatastoreRole?)
    /// A Kubernetes node with this name, but its InternalIP is not the declared address.
    case addressMismatch(ObservedNode, datastoreRole: DatastoreRole?)
    /// Not a member; a probe found this.
    case probed(NodeProbe.Finding)
    /// Not seen as a member, and the host could not be reached: unknown, never absent.
    case unreachable
    /// Not a member, and not probed (the pass saw no need, or could not).
    case notObserved
  }

  public struct Listed: Sendable, Equatable {
    public var spec: NodeSpec
    public var status: Status
  }

  /// Every topology node, in file order.
  public var listed: [Listed]
  /// Kubernetes nodes the topology does not name, in name order.
  public var unlisted: [ObservedNode]
  /// Datastore members that belong to no Kubernetes node: the classic MicroK8s failure
  /// after which that IP can never rejoin (microk8s-contract.md section 11, pitfall 9).
  public var ghosts: [DatastoreMember]

  /// Matches a topology against one observation.
  public static func match(_ topology: Topology, _ observed: ObservedCluster) -> Membership {
    var nodesByName: [String: ObservedNode] = [:]
    for node in observed.nodes { nodesByName[node.name] = node }
    var probes: [String: NodeProbe.Finding] = [:]
    for probe in observed.probes { probes[probe.name] = probe.finding }
    let unreachable = Set(observed.unreachable)
    let datastoreByAddress = Dictionary(
      observed.datastore.map { ($0.address, $0) },
      uniquingKeysWith: { first, _ in first }
    )

    var claimed = Set<NodeAddress>()
    var listedNames = Set<String>()
    var listed: [Listed] = []
    for spec in topology.nodes {
      listedNames.insert(spec.name)
      listed.append(Listed(spec: spec, status: status(of: spec)))
    }

    func status(of spec: NodeSpec) -> Status {
      if let node = nodesByName[spec.name] {
        let role = datastoreRole(of: node, declared: spec.address)
        if let declared = spec.address, node.internalIP != declared {
          return .addressMismatch(node, datastoreRole: role)
        }
        return .member(node, datastoreRole: role)
      }
      if let finding = probes[spec.name] { return .probed(finding) }
      return unreachable.contains(spec.name) ? .unreachable : .notObserved
    }

    // A member carries the node's InternalIP, or on a multi-NIC host the address the
    // file declares for it (the one it joined with).
    func datastoreRole(of node: ObservedNode, declared: NodeAddress?) -> DatastoreRole? {
      for address in [node.internalIP, declared].compactMap({ $0 }) {
        if let member = datastoreByAddress[address] {
          claimed.insert(address)
          return member.role
        }
      }
      return nil
    }

    let unlisted = observed.nodes.filter { !listedNames.contains($0.name) }
    for node in unlisted {
      if let address = node.internalIP, datastoreByAddress[address] != nil {
        claimed.insert(address)
      }
    }
    let ghosts = observed.datastore.filter { !claimed.contains($0.address) }
    return Membership(
      listed: listed,
      unlisted: unlisted.sorted { $0.name < $1.name },
      ghosts: ghosts.sorted { $0.address.description < $1.address.description }
    )
  }
}
