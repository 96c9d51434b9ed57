import FoundationEssentials

/// `microk8s-sim show`: the world as JSON, with what can be derived from it (quorum,
/// readiness) and without the join tokens, which only `add-node` may print.
public struct WorldView: Encodable, Sendable {
  struct Host: Encodable, Sendable {
    var address: String
    var hostname: String
    var track: String
    var version: String
    /// False for a machine without the microk8s snap (its track is not installed).
    var installed: Bool
    var mode: String
    var cluster: Int
    var reachable: Bool
    var running: Bool
    var lowMemory: Bool
    var clustered: Bool
    var fingerprint: String
    var tokens: [Token]
  }

  struct Token: Encodable, Sendable {
    var singleUse: Bool
    var expiresAt: Int?
    var expired: Bool
  }

  struct Cluster: Encodable, Sendable {
    var id: Int
    /// The `kube-system` namespace's UID: the cluster's identity.
    var kubeSystemUID: String
    var quorum: Bool
    var members: [DatastoreMember]
    var nodes: [Node]
    var rebalanceAt: Double?
    var pods: [Pod]
    var budgets: [DisruptionBudget]
  }

  struct Pod: Encodable, Sendable {
    var namespace: String
    var name: String
    /// nil while Pending.
    var node: String?
    var app: String?
    var owner: String
    var emptyDir: Bool
    var ready: Bool
  }

  struct Node: Encodable, Sendable {
    var name: String
    var host: String
    var internalIP: String
    var role: String
    var ready: String
    var kubeletVersion: String
    var unschedulable: Bool
  }

  var formatVersion: Int
  var now: Double
  var settings: SimulatorSettings
  var hosts: [Host]
  var clusters: [Cluster]
  var faults: [Fault]

  public init(_ world: World, now: Double) {
    formatVersion = world.formatVersion
    self.now = now
    settings = world.settings
    faults = world.faults
    hosts = world.hosts.map { host in
      Host(
        address: host.address,
        hostname: host.hostname,
        track: host.track,
        version: host.release.snapVersion,
        installed: host.installed,
        mode: host.mode.rawValue,
        cluster: host.cluster,
        reachable: host.reachable,
        running: host.running,
        lowMemory: host.lowMemory,
        clustered: host.clustered,
        fingerprint: host.fingerprint,
        tokens: host.tokens.map {
          Token(
            singleUse: $0.expiresAt == nil,
            expiresAt: $0.expiresAt,
            expired: !$0.isValid(at: now)
          )
        }
      )
    }
    clusters = world.clusters.map { cluster in
      Cluster(
        id: cluster.id,
        kubeSystemUID: cluster.kubeSystemUID,
        quorum: world.hasQuorum(cluster),
        members: cluster.members,
        nodes: cluster.nodes.map { node in
          Node(
            name: node.name,
            host: node.host,
            internalIP: node.internalIP,
            role: node.worker ? "worker" : "control-plane",
            ready: world.readiness(of: node, in: cluster, at: now).rawValue,
            kubeletVersion: node.kubeletVersion,
            unschedulable: node.unschedulable
          )
        },
        rebalanceAt: cluster.rebalanceAt,
        pods: cluster.pods.map { pod in
          Pod(
            namespace: pod.namespace,
            name: pod.name,
            node: pod.node,
            app: pod.app,
            owner: pod.owner.rawValue,
            emptyDir: pod.emptyDir,
            ready: pod.isReady(at: now)
          )
        },
        budgets: cluster.budgets
      )
    }
  }

  /// Pretty-printed with sorted keys, so the output is stable for diffs and tests.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}
