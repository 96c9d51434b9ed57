/// What one observation pass saw of the real cluster, through its contact node.
///
/// Read-only facts, kept apart from the desired `Topology` so that every function's
/// inputs are visible in its signature. Unreachable is recorded as unknown, never as
/// gone (DESIGN.md section 3).
public struct ObservedCluster: Sendable, Equatable {
  /// The node the pass read the cluster through.
  ///
  /// The first reachable, running control-plane node in file order; nil when no listed
  /// node answered as a member.
  public var contact: String?
  /// Kubernetes nodes (`kubectl get nodes -o json` on the contact).
  public var nodes: [ObservedNode]
  /// Datastore members (`status --format yaml` on the contact); workers never appear.
  public var datastore: [DatastoreMember]
  /// Listed nodes probed with `status` and `kubectl get nodes,namespaces` on themselves:
  /// those that are not members, and members that are not Ready (or control-plane nodes
  /// missing from the datastore), to tell a host that is down from one that has left.
  public var probes: [NodeProbe]
  /// Listed nodes that could not be reached at all during this pass.
  public var unreachable: [String]
  /// The cluster's identity as the contact reports it: the UID of its `kube-system`
  /// namespace (`NodeListing`); nil when no member answered or it was not read.
  public var identity: String?

  public init(
    contact: String? = nil,
    nodes: [ObservedNode] = [],
    datastore: [DatastoreMember] = [],
    probes: [NodeProbe] = [],
    unreachable: [String] = [],
    identity: String? = nil
  ) {
    self.contact = contact
    self.nodes = nodes
    self.datastore = datastore
    self.probes = probes
    self.unreachable = unreachable
    self.identity = identity
  }

  /// No member answered: only bootstrapping a brand-new cluster can be planned.
  public var hasMembers: Bool { contact != nil || !nodes.isEmpty || !datastore.isEmpty }
}

/// A Kubernetes Node object as the contact reports it.
public struct ObservedNode: Sendable, Equatable {
  /// The Kubernetes node name: the lowercase hostname.
  public var name: String
  /// `status.addresses[type=InternalIP]`; can differ from the join address on
  /// multi-NIC hosts (microk8s-contract.md section 7).
  public var internalIP: NodeAddress?
  /// From the MicroK8s labels (`node.kubernetes.io/microk8s-controlplane` or
  /// `-worker`); nil when neither label is present.
  public var role: Role?
  /// The `Ready` condition is `True`.
  public var ready: Bool
  /// The kubelet version, `status.nodeInfo.kubeletVersion`.
  ///
  /// For example `v1.28.3`, or `v1.24.0-2+59bbb3530b6769` before MicroK8s 1.25.
  public var kubeletVersion: String

  public init(
    name: String,
    internalIP: NodeAddress?,
    role: Role?,
    ready: Bool,
    kubeletVersion: String
  ) {
    self.name = name
    self.internalIP = internalIP
    self.role = role
    self.ready = ready
    self.kubeletVersion = kubeletVersion
  }
}

/// A dqlite member: identity is `IP:port`, fixed at join time (contract section 9).
public struct DatastoreMember: Sendable, Hashable {
  public var address: NodeAddress
  public var port: Int
  public var role: DatastoreRole

  public init(address: NodeAddress, port: Int = 19001, role: DatastoreRole) {
    self.address = address
    self.port = port
    self.role = role
  }
}

/// dqlite roles: voters form the quorum, standbys replicate, spares only wait.
public enum DatastoreRole: String, Sendable, Hashable, CaseIterable, Codable {
  case voter
  case standby
  case spare
}

/// What a probe of a listed non-member found.
public struct NodeProbe: Sendable, Equatable {
  public enum Finding: Sendable, Equatable {
    /// A standalone MicroK8s on this track: ready to join.
    case standalone(track: Track)
    /// Already clustered with other members: joining would wipe its data.
    case memberOfAnotherCluster
    /// No MicroK8s on the host.
    case microK8sMissing
    /// MicroK8s is installed with its low-memory guard on (512 MiB of RAM or less): no
    /// control-plane services, no Node, `status` refuses (upstream
    /// `microk8s-resources/actions/common/utils.sh`, `exit_if_low_memory_guard`). It can
    /// join only as a worker (`scripts/wrappers/join.py`). `track` is what
    /// `microk8s version` says, when it could tell.
    case lowMemoryGuard(track: Track?)
    /// MicroK8s is there, but mktopo may not run it: no permission to its credentials,
    /// or `sudo -n` wants a password.
    case notPermitted
    /// MicroK8s is there but stopped, not ready, or could not report its datastore: it
    /// is neither known to be standalone nor known to be a member. Unknown, like an
    /// unreachable host, and never a node to found or join a cluster on.
    case notReady
    /// The host did not answer; unknown, never treated as absent.
    case unreachable
  }

  public var name: String
  public var finding: Finding
  /// What the host's own MicroK8s calls it.
  ///
  /// The name of the Node a standalone MicroK8s registered, which is the lowercase hostname the
  /// node joins with (contract section 7). nil when not standalone, or when it could not be told.
  public var hostname: String?
  /// The identity of the cluster the host's MicroK8s belongs to (its own, for a
  /// standalone one), when it was read.
  public var identity: String?

  public init(name: String, finding: Finding, hostname: String? = nil, identity: String? = nil) {
    self.name = name
    self.finding = finding
    self.hostname = hostname
    self.identity = identity
  }
}
