import Foundation

/// The simulated world, as `microk8s-sim show` prints it (only what the tests read).
struct LabWorld: Decodable {
  struct Member: Decodable {
    var host: String
    var role: String
  }

  struct Node: Decodable {
    var name: String
    var host: String
    var ready: String
    var role: String
    var unschedulable: Bool
    var kubeletVersion: String
  }

  struct Pod: Decodable {
    var namespace: String
    var name: String
    var node: String?
    var ready: Bool
  }

  struct Cluster: Decodable {
    var id: Int
    var members: [Member]
    var nodes: [Node]
    var quorum: Bool
    var pods: [Pod]
    /// When the datastore's leader next adjusts roles; nil when settled.
    var rebalanceAt: Double?
  }

  struct Host: Decodable {
    var address: String
    var hostname: String
    var track: String
    var installed: Bool
    var cluster: Int?
    var mode: String
    var reachable: Bool
    var running: Bool
  }

  var clusters: [Cluster]
  var hosts: [Host]
  /// The simulator's clock when it printed this.
  var now: Double

  /// The cluster the host named `name` belongs to.
  func cluster(of name: String) -> Cluster? {
    guard let id = hosts.first(where: { $0.hostname == name })?.cluster else { return nil }
    return clusters.first { $0.id == id }
  }

  func hostname(_ address: String) -> String {
    hosts.first { $0.address == address }?.hostname ?? address
  }

  /// Datastore role by hostname, in the cluster of `name`.
  func datastore(of name: String = "node1") -> [String: String] {
    let members = cluster(of: name)?.members ?? []
    return Dictionary(members.map { (hostname($0.host), $0.role) }) { first, _ in first }
  }

  /// Kubernetes node role (`control-plane` or `worker`) by name, in the cluster of `name`.
  func nodes(of name: String = "node1") -> [String: String] {
    Dictionary((cluster(of: name)?.nodes ?? []).map { ($0.name, $0.role) }) { first, _ in first }
  }

  /// The names of the cordoned nodes, in the cluster of `name`.
  func cordoned(of name: String = "node1") -> Set<String> {
    Set((cluster(of: name)?.nodes ?? []).filter(\.unschedulable).map(\.name))
  }

  /// `NAMESPACE/NAME` of each pod by the node it runs on, in the cluster of `name`.
  func pods(of name: String = "node1") -> [String: [String]] {
    Dictionary(grouping: cluster(of: name)?.pods ?? []) { $0.node ?? "" }
      .mapValues { $0.map { "\($0.namespace)/\($0.name)" }.sorted() }
  }

  /// Readiness (`True`, `False`, `Unknown`) by node name, in the cluster of `name`.
  func readiness(of name: String = "node1") -> [String: String] {
    Dictionary((cluster(of: name)?.nodes ?? []).map { ($0.name, $0.ready) }) { first, _ in first }
  }

  /// What is wrong with the cluster of `name`: ghosts (datastore members of no node) and
  /// voters without a majority.
  func problems(of name: String = "node1") -> [String] {
    guard let cluster = cluster(of: name) else { return ["\(name) is in no cluster"] }
    var problems: [String] = []
    let nodeHosts = Set(cluster.nodes.map(\.host))
    for member in cluster.members where !nodeHosts.contains(member.host) {
      problems.append("ghost: datastore member \(member.host) (\(member.role)) has no node")
    }
    if !cluster.quorum { problems.append("the voters have no majority") }
    return problems
  }
}
