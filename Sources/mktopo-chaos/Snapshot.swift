import MicroK8sSimulator

/// The simulated world at one moment, read under the simulator's lock and settled as
/// `microk8s-sim show` would settle it, with the facts the invariants ask of it.
///
/// "Member" is defined here from the world, not from mktopo's observer: a control-plane
/// host is a member of the datastore it uses when that datastore lists it; a worker host
/// when the cluster it joined still holds its Node.
struct Snapshot: Sendable {
  var world: World
  /// Wall-clock seconds.
  var time: Double

  func host(_ address: String) -> SimulatedHost? {
    world.host(address)
  }

  func cluster(_ id: Int) -> SimulatedCluster? {
    world.clusterIndex(id).map { world.clusters[$0] }
  }

  /// The cluster the host at `address` is a member of, if any.
  func membership(_ address: String) -> Int? {
    guard let host = host(address), let cluster = cluster(host.cluster) else { return nil }
    if host.mode == .worker {
      return cluster.nodes.contains { $0.host == address } ? cluster.id : nil
    }
    return cluster.members.contains { $0.host == address } ? cluster.id : nil
  }

  /// The names of cluster `id`'s cordoned Nodes whose hosts are members of it.
  func cordonedMembers(_ id: Int) -> Set<String> {
    let nodes = cluster(id)?.nodes ?? []
    return Set(nodes.filter { $0.unschedulable && membership($0.host) == id }.map(\.name))
  }

  /// The hosts that are members of cluster `id`, in world order.
  func memberHosts(_ id: Int) -> [SimulatedHost] {
    world.hosts.filter { membership($0.address) == id }
  }

  /// The host whose datastore the others joined: dqlite lists entries in join order, so
  /// the first one (while it stays).
  func founder(_ id: Int) -> SimulatedHost? {
    cluster(id)?.members.first.flatMap { host($0.host) }
  }

  /// Whether the host is a standalone MicroK8s that never joined anything or has left:
  /// its own datastore, with nobody else's Node in it.
  func isStandalone(_ address: String) -> Bool {
    guard let host = host(address), host.mode == .standalone, let cluster = cluster(host.cluster)
    else { return false }
    return cluster.members.allSatisfy { $0.host == address }
      && cluster.nodes.allSatisfy { $0.host == address }
  }

  /// A cluster that more than one host has a part in (a formed cluster, not a lone host).
  func isFormed(_ id: Int) -> Bool {
    guard let cluster = cluster(id) else { return false }
    let hosts = Set(cluster.members.map(\.host) + cluster.nodes.map(\.host))
    return hosts.count > 1 || world.hosts.contains { $0.cluster == id && $0.mode != .standalone }
  }

  /// Datastore members that no Node of the cluster matches by address: ghosts.
  func ghosts(_ id: Int) -> [DatastoreMember] {
    guard let cluster = cluster(id) else { return [] }
    return cluster.members.filter { member in
      let ip = member.address.split(separator: ":").first.map(String.init) ?? member.address
      return !cluster.nodes.contains { $0.internalIP == ip }
        && !member.address.hasPrefix("127.0.0.1:")
    }
  }

  /// The role a member host has: a worker, or mixed (control plane and worker).
  func role(_ address: String) -> Role? {
    host(address).map { $0.mode == .worker ? .worker : .mixed }
  }

  /// The tracks the control-plane members of cluster `id` run.
  func tracks(_ id: Int) -> Set<String> {
    Set(memberHosts(id).filter { $0.mode != .worker }.map { Tracks.normalized($0.track) })
  }

  func readiness(of node: KubernetesNode, in id: Int) -> World.NodeReadiness {
    guard let cluster = cluster(id) else { return .unknown }
    return world.readiness(of: node, in: cluster, at: time)
  }

  /// Every join token the simulator holds, which `show` leaves out.
  var tokens: Set<String> {
    Set(world.hosts.flatMap { $0.tokens.map(\.token) })
  }

  /// `192.168.1.11 (node2, voter, down)`: a member for evidence lines.
  func describe(_ member: DatastoreMember, in id: Int) -> String {
    var facts = [member.role.rawValue]
    if let host = host(member.host) {
      facts.insert(host.nodeName, at: 0)
      if !host.reachable { facts.append("down") }
      if !host.running { facts.append("stopped") }
      if host.cluster != id || host.mode == .worker { facts.append("no longer uses it") }
    } else {
      facts.append("no such host")
    }
    return "\(member.host) (\(facts.joined(separator: ", ")))"
  }

  /// `cluster 3 (node1, node2, worker1)`, leaving out the host at `excluding`.
  func describeCluster(_ id: Int, excluding: String? = nil) -> String {
    let names = memberHosts(id).filter { $0.address != excluding }.map(\.nodeName)
    return "cluster \(id) (\(names.isEmpty ? "no members" : names.joined(separator: ", ")))"
  }

  /// Where a host is now, for evidence: `standalone`, `down`, `a member of cluster 2`.
  func whereabouts(_ address: String) -> String {
    guard let host = host(address) else { return "no machine at \(address)" }
    var state: String
    if let id = membership(address) {
      state = isStandalone(address) ? "standalone" : "a member of \(describeCluster(id))"
    } else if host.mode == .worker {
      state = "a worker whose Node was removed"
    } else {
      state = "wiped: it uses cluster \(host.cluster) without being a member"
    }
    if !host.reachable { state += ", down" }
    if !host.running { state += ", stopped" }
    return state
  }
}
