/// One entry of `nodes:` with defaults applied.
public struct NodeSpec: Sendable, Equatable {
  /// The host's hostname, which MicroK8s uses as the Kubernetes node name.
  public var name: String
  /// The address the cluster uses for the node; nil only for `state: absent` entries
  /// that were removed by name.
  public var address: NodeAddress?
  public var role: Role
  public var version: Track
  public var state: NodeState
  public var connection: Connection
  /// The argv that runs the MicroK8s CLI on the node, placeholders not yet expanded.
  public var microk8s: [String]
  /// The argv that runs `snap` on the node (to install or refresh MicroK8s), as the file
  /// gives it; nil to derive it from `microk8s` (`snapCommand`).
  public var snap: [String]?
  public var positions: Positions

  /// Where the entry and each of its fields are written, for diagnostics.
  public struct Positions: Sendable, Equatable {
    public var node: SourcePosition?
    public var name: SourcePosition?
    public var address: SourcePosition?
    public var role: SourcePosition?
    public var version: SourcePosition?
    public var state: SourcePosition?
    public var connection: SourcePosition?
    public var microk8s: SourcePosition?

    public init() {}
  }

  public init(
    name: String,
    address: NodeAddress?,
    role: Role = .mixed,
    version: Track,
    state: NodeState = .present,
    connection: Connection = Connection(),
    microk8s: [String] = NodeSpec.defaultMicroK8s,
    snap: [String]? = nil,
    positions: Positions = Positions()
  ) {
    self.name = name
    self.address = address
    self.role = role
    self.version = version
    self.state = state
    self.connection = connection
    self.microk8s = microk8s
    self.snap = snap
    self.positions = positions
  }

  /// The argv that runs `snap` on the node, placeholders not yet expanded.
  ///
  /// `snap` as the file gives it, else `microk8s` with its last word, a path to
  /// `microk8s`, replaced by `snap` (`sudo -n /snap/bin/microk8s` gives `sudo -n snap`:
  /// the same privilege, and snapd's own command). Nil when `microk8s` ends otherwise,
  /// as a wrapper may.
  public var snapCommand: [String]? {
    if let snap { return snap }
    guard let last = microk8s.last, last == "microk8s" || last.hasSuffix("/microk8s") else {
      return nil
    }
    return microk8s.dropLast() + ["snap"]
  }

  /// Non-interactive shells over ssh often lack /snap/bin on PATH, and join/leave need
  /// root (microk8s-contract.md section 1), hence the full path behind `sudo -n`.
  public static let defaultMicroK8s = ["sudo", "-n", "/snap/bin/microk8s"]
}

/// What a node does in the cluster.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
  /// Control plane and worker; the only kind that can be a datastore member.
  case mixed
  case worker
}

/// Whether the file wants the node in the cluster.
public enum NodeState: String, Sendable, Hashable, CaseIterable, Codable {
  case present
  /// Remove the node from the cluster.
  case absent
}
