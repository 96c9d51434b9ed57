/// A pod of a simulated cluster: as much of one as `kubectl drain` looks at.
///
/// Where it runs, what owns it (kubectl drain refuses DaemonSet pods without
/// `--ignore-daemonsets` and pods without a controller without `--force`), whether it keeps
/// `emptyDir` data (refused without `--delete-emptydir-data`), and its `app` label, which
/// disruption budgets select on (upstream kubectl pkg/drain/filters.go).
public struct SimulatedPod: Codable, Sendable, Equatable {
  public enum Owner: String, Codable, Sendable {
    /// A Deployment's ReplicaSet: evicted, the controller starts a replacement elsewhere.
    case replicaSet
    /// One per node; drain leaves it where it is (with `--ignore-daemonsets`).
    case daemonSet
    /// No controller: once deleted, nothing brings it back.
    case none
  }

  public var namespace: String
  public var name: String
  /// The node it runs on; nil while Pending (no schedulable Ready node for it).
  public var node: String?
  public var app: String?
  public var owner: Owner
  public var emptyDir: Bool
  /// When it turns Ready, and counts for its budget: a replacement starts a while after
  /// the eviction that made it.
  public var readyAt: Double

  public init(
    namespace: String,
    name: String,
    node: String?,
    app: String? = nil,
    owner: Owner = .replicaSet,
    emptyDir: Bool = false,
    readyAt: Double = 0
  ) {
    self.namespace = namespace
    self.name = name
    self.node = node
    self.app = app
    self.owner = owner
    self.emptyDir = emptyDir
    self.readyAt = readyAt
  }

  /// Running and Ready at `time`: placed on a node, and started (what a budget counts).
  public func isReady(at time: Double) -> Bool { node != nil && readyAt <= time }

  /// `namespace/name`, as kubectl names pods in its messages.
  public var qualifiedName: String { "\(namespace)/\(name)" }
}

/// A PodDisruptionBudget with `minAvailable`, selecting pods by their `app` label.
///
/// An eviction is refused while it would leave fewer running pods of the app than
/// `minAvailable` (the API server's 429, which kubectl drain retries every 5 s until its
/// timeout: pkg/drain/drain.go).
public struct DisruptionBudget: Codable, Sendable, Equatable {
  public var namespace: String
  public var name: String
  public var app: String
  public var minAvailable: Int

  public init(namespace: String, name: String, app: String, minAvailable: Int) {
    self.namespace = namespace
    self.name = name
    self.app = app
    self.minAvailable = minAvailable
  }
}
