/// The desired cluster, as a topology file declares it: valid and fully resolved.
///
/// Defaults are already applied: every node carries its own role, version, connection
/// and MicroK8s command line. Positions point back into the file for diagnostics.
public struct Topology: Sendable, Equatable {
  public var cluster: ClusterSpec
  public var policy: Policy
  /// In file order, which is the order the planner joins and picks contacts in.
  public var nodes: [NodeSpec]

  public init(cluster: ClusterSpec, policy: Policy = Policy(), nodes: [NodeSpec]) {
    self.cluster = cluster
    self.policy = policy
    self.nodes = nodes
  }

  /// Nodes with `state: present`, in file order.
  public var presentNodes: [NodeSpec] { nodes.filter { $0.state == .present } }

  /// Present nodes with the mixed role: the control plane the file asks for.
  public var controlPlaneNodes: [NodeSpec] {
    nodes.filter { $0.state == .present && $0.role == .mixed }
  }

  /// Whether mktopo installs MicroK8s on `node` when it lacks it: `policy.install`, and
  /// a `snap` command to do it with.
  public func installsMicroK8s(on node: NodeSpec) -> Bool {
    policy.install && node.snapCommand != nil
  }
}

/// The `cluster:` block: its name and the MicroK8s track every node must run.
public struct ClusterSpec: Sendable, Equatable {
  public var name: String
  public var version: Track
  /// Where the `cluster:` block, its name and its version are written.
  public var position: SourcePosition?
  public var namePosition: SourcePosition?
  public var versionPosition: SourcePosition?

  public init(
    name: String,
    version: Track,
    position: SourcePosition? = nil,
    namePosition: SourcePosition? = nil,
    versionPosition: SourcePosition? = nil
  ) {
    self.name = name
    self.version = version
    self.position = position
    self.namePosition = namePosition
    self.versionPosition = versionPosition
  }
}
