/// What `microk8s status --format yaml` says about one node (contract section 6).
public enum StatusReport: Sendable, Equatable {
  /// Ready (`running: True`, exit 0).
  case running(DatastoreStatus)
  /// Not ready (exit 1). The datastore part is nil when MicroK8s printed only its
  /// one-line message instead of YAML.
  case notRunning(DatastoreStatus?)
  /// The node is a worker: status prints two lines of text, not YAML (contract section 1).
  case worker
  /// MicroK8s was stopped with `microk8s stop` (the message on stdout, exit 0).
  case stopped

  /// The datastore part, when the node printed one.
  public var datastore: DatastoreStatus? {
    switch self {
    case .running(let status): status
    case .notRunning(let status): status
    case .worker, .stopped: nil
    }
  }
}

/// The `high-availability` part of `status --format yaml`.
public struct DatastoreStatus: Sendable, Equatable {
  /// `high-availability.enabled`, whether the node runs dqlite (the `ha-cluster` lock).
  ///
  /// Not "has quorum": that takes three voters (contract section 6).
  public var highAvailability: Bool
  /// `high-availability.nodes`, as printed; spares included, workers never.
  ///
  /// Empty when dqlite is not in use, and also when `status` gave up asking dqlite
  /// (contract section 6), so an empty list never proves a node standalone.
  public var members: [DatastoreMember]

  public init(highAvailability: Bool, members: [DatastoreMember]) {
    self.highAvailability = highAvailability
    self.members = members
  }

  /// The address a fresh node's datastore binds to until the first join rebinds it
  /// (`127.0.0.1:19001`, contract sections 6 and 9).
  ///
  /// Exactly this address, not all of 127.0.0.0/8: a lab (or mktopo's tests) can run
  /// real members on 127.0.0.11, .12, ...
  public static let unboundAddress = NodeAddress.ipv4(0x7F00_0001)

  /// Every member is on `unboundAddress`: a standalone node whose datastore was never
  /// rebound by a join.
  public var isLoopbackOnly: Bool {
    !members.isEmpty && members.allSatisfy { $0.address == Self.unboundAddress }
  }

  public var voters: [DatastoreMember] { members.filter { $0.role == .voter } }

  /// The members with each loopback address replaced by `address`, the address the
  /// node was reached at: a standalone node reports itself as 127.0.0.1.
  public func members(replacingLoopbackWith address: NodeAddress) -> [DatastoreMember] {
    members.map { member in
      guard member.address == Self.unboundAddress else { return member }
      return DatastoreMember(address: address, port: member.port, role: member.role)
    }
  }
}
