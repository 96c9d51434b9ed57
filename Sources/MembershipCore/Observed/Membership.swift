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
    /// A Kubernetes node with this name is still registered, but the host's MicroK8s is
    /// standalone now (its probe): it ran `leave`, as the first step of a role change or
    /// by hand, and the Node object stays until `remove-node` (contract section 4).
    case left(ObservedNode, track: Track)
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
    let matched = Matched(topology, observed)
    var listed: [Listed] = []
    listed.reserveCapacity(topology.nodes.count)
    for (index, spec) in topology.nodes.enumerated() {
      listed.append(Listed(spec: spec, status: matched.status(index)))
    }
    return Membership(listed: listed, unlisted: matched.unlisted, ghosts: matched.ghosts)
  }

  /// What `match` finds, indexed like the topology's nodes rather than holding copies.
  ///
  /// The planner reads it directly: copying every `NodeSpec` into `listed`, every
  /// `ObservedNode` into a status, and hashing every name again would cost more than
  /// the rest of a no-op plan.
  struct Matched {
    /// A `Status` in a few bytes: what it says, and where its node or probe is.
    struct Entry {
      enum Kind: UInt8 {
        case member
        case addressMismatch
        case left
        case probed
        case unreachable
        case notObserved
      }

      var kind: Kind
      /// For a member or an address mismatch.
      var datastoreRole: DatastoreRole?
      /// The probe's index in `observed.probes`, for a node that left; -1 otherwise.
      var probe: Int32 = -1
      /// The node's index in `observed.nodes` (a member, an address mismatch or a node
      /// that left: the node with the name), or the probe's in `observed.probes`; -1
      /// otherwise.
      var observed: Int
    }

    /// For `topology.nodes[i]`: `status(i)`.
    var entries: [Entry]
    let nodes: [ObservedNode]
    let probes: [NodeProbe]
    /// For each node of `observed.nodes` a topology node names, the first such one.
    var firstSpecIndices: [Int?]
    /// For each node of `observed.nodes`: a topology node with its name is a `member`.
    var namedByMember: [Bool]
    /// Indices of the topology's `state: present` nodes that are not a `member`.
    var presentNonMembers: [Int] = []
    /// Indices of the topology's `state: present` members that run another role than the
    /// file's, with the role they run: the node's label, or failing that whether it is
    /// in the datastore.
    var roleMismatches: [(index: Int, current: Role)] = []
    /// Indices of the topology's `state: absent` nodes that are a `member`.
    var absentMembers: [Int] = []
    /// As `Membership.unlisted` and `Membership.ghosts`.
    var unlisted: [ObservedNode]
    var ghosts: [DatastoreMember]
    /// Unlisted nodes at an address the file declares for a node of another name.
    ///
    /// A misspelt name, never a member to prune. By index in `unlisted`, the index in the topology
    /// of the first node declaring the address.
    var misnamed: [(unlisted: Int, spec: Int)] = []
    /// `misnamed` by topology index (to the first unlisted node), and its unlisted side.
    var misnamedBySpec: [Int: Int] = [:]
    var misnamedUnlisted: Set<Int> = []

    init(_ topology: Topology, _ observed: ObservedCluster) {
      let nodes = observed.nodes
      let datastore = observed.datastore
      let probes = observed.probes
      self.nodes = nodes
      self.probes = probes
      // A repeated name leads to its last node, and to its last probe.
      var nodeNames = PositionTable(capacity: nodes.count)
      var repeatedNames = false
      for index in nodes.indices {
        let name = nodes[index].name
        let hash = PositionTable.hash(name)
        if nodeNames.insert(index, hash: hash, replacing: true, where: { nodes[$0].name == name })
          != nil
        {
          repeatedNames = true
        }
      }
      var probeNames = PositionTable(capacity: probes.count)
      for index in probes.indices {
        let name = probes[index].name
        let hash = PositionTable.hash(name)
        _ = probeNames.insert(
          index,
          hash: hash,
          replacing: true,
          where: { probes[$0].name == name }
        )
      }
      let unreachable = Set(observed.unreachable)
      // A repeated address leads to its first member.
      var memberAddresses = PositionTable(capacity: datastore.count)
      var repeatedAddresses = false
      for index in datastore.indices {
        let address = datastore[index].address
        let hash = PositionTable.hash(address)
        if memberAddresses.insert(
          index,
          hash: hash,
          replacing: false,
          where: { datastore[$0].address == address }
        ) != nil {
          repeatedAddresses = true
        }
      }
      func member(at address: NodeAddress) -> Int? {
        guard !datastore.isEmpty else { return nil }
        let hash = PositionTable.hash(address)
        return memberAddresses.position(hash: hash) { datastore[$0].address == address }
      }

      // For each member (the first, for a repeated address): a node claims its address.
      var claimed = Array(repeating: false, count: datastore.count)
      // A member carries the node's InternalIP, or on a multi-NIC host the address the
      // file declares for it (the one it joined with).
      func datastoreRole(of internalIP: NodeAddress?, declared: NodeAddress?) -> DatastoreRole? {
        if let address = internalIP, let index = member(at: address) {
          claimed[index] = true
          return datastore[index].role
        }
        if let declared, declared != internalIP, let index = member(at: declared) {
          claimed[index] = true
          return datastore[index].role
        }
        return nil
      }

      entries = []
      entries.reserveCapacity(topology.nodes.count)
      firstSpecIndices = Array(repeating: nil, count: nodes.count)
      namedByMember = Array(repeating: false, count: nodes.count)
      for specIndex in topology.nodes.indices {
        let name = topology.nodes[specIndex].name
        let declared = topology.nodes[specIndex].address
        let hash = PositionTable.hash(name)
        let present = topology.nodes[specIndex].state == .present
        guard let nodeIndex = nodeNames.position(hash: hash, where: { nodes[$0].name == name })
        else {
          if present { presentNonMembers.append(specIndex) }
          if let probe = probeNames.position(hash: hash, where: { probes[$0].name == name }) {
            entries.append(Entry(kind: .probed, observed: probe))
          } else {
            let unknown = !unreachable.isEmpty && unreachable.contains(name)
            entries.append(Entry(kind: unknown ? .unreachable : .notObserved, observed: -1))
          }
          continue
        }
        if firstSpecIndices[nodeIndex] == nil { firstSpecIndices[nodeIndex] = specIndex }
        let internalIP = nodes[nodeIndex].internalIP
        let role = datastoreRole(of: internalIP, declared: declared)
        if let declared, internalIP != declared {
          entries.append(Entry(kind: .addressMismatch, datastoreRole: role, observed: nodeIndex))
          if present { presentNonMembers.append(specIndex) }
          continue
        }
        if present,
          let probe = probeNames.position(hash: hash, where: { probes[$0].name == name }),
          case .standalone = probes[probe].finding
        {
          entries.append(
            Entry(kind: .left, datastoreRole: role, probe: Int32(probe), observed: nodeIndex)
          )
          namedByMember[nodeIndex] = true
          continue
        }
        entries.append(Entry(kind: .member, datastoreRole: role, observed: nodeIndex))
        namedByMember[nodeIndex] = true
        if present {
          let current: Role = nodes[nodeIndex].role ?? (role == nil ? .worker : .mixed)
          if current != topology.nodes[specIndex].role {
            roleMismatches.append((specIndex, current))
          }
        } else {
          absentMembers.append(specIndex)
        }
      }

      // A node is unlisted when no topology node has its name: when names repeat, the
      // one the name leads to says so for all of them.
      var unlisted: [ObservedNode] = []
      for index in nodes.indices {
        var named = index
        if repeatedNames {
          let name = nodes[index].name
          named =
            nodeNames.position(hash: PositionTable.hash(name), where: { nodes[$0].name == name })
            ?? index
        }
        guard firstSpecIndices[named] == nil else { continue }
        unlisted.append(nodes[index])
        if let address = nodes[index].internalIP, let member = member(at: address) {
          claimed[member] = true
        }
      }
      self.unlisted = unlisted.sorted { $0.name < $1.name }
      if !self.unlisted.isEmpty {
        misnamed = Self.misnamed(self.unlisted, topology)
        for pair in misnamed {
          if misnamedBySpec[pair.spec] == nil { misnamedBySpec[pair.spec] = pair.unlisted }
          misnamedUnlisted.insert(pair.unlisted)
        }
      }
      var ghosts: [DatastoreMember] = []
      for index in datastore.indices {
        let first = repeatedAddresses ? member(at: datastore[index].address) ?? index : index
        if !claimed[first] { ghosts.append(datastore[index]) }
      }
      self.ghosts = ghosts.sorted { $0.address.description < $1.address.description }
    }

    /// The status of `topology.nodes[index]`.
    func status(_ index: Int) -> Status {
      let entry = entries[index]
      switch entry.kind {
      case .member: return .member(nodes[entry.observed], datastoreRole: entry.datastoreRole)
      case .addressMismatch:
        return .addressMismatch(nodes[entry.observed], datastoreRole: entry.datastoreRole)
      case .left:
        guard case .standalone(let track) = probes[Int(entry.probe)].finding else {
          return .member(nodes[entry.observed], datastoreRole: entry.datastoreRole)
        }
        return .left(nodes[entry.observed], track: track)
      case .probed: return .probed(probes[entry.observed].finding)
      case .unreachable: return .unreachable
      case .notObserved: return .notObserved
      }
    }

    /// For `topology.nodes[index]`, the index in `observed.nodes` of the node with its
    /// name, if any.
    func nodeIndex(_ index: Int) -> Int? {
      let entry = entries[index]
      switch entry.kind {
      case .member, .addressMismatch, .left: return entry.observed
      case .probed, .unreachable, .notObserved: return nil
      }
    }

    /// The node of a member or an address mismatch.
    func node(_ index: Int) -> ObservedNode? {
      nodeIndex(index).map { nodes[$0] }
    }
  }
}
