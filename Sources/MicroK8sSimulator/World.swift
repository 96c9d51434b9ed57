/// The whole simulated world: hosts, the datastores they use, injected faults, settings.
///
/// A value: every command is a mutation of it, so it can be saved to one JSON file and
/// updated under a lock by concurrent `microk8s-sim` processes.
public struct World: Codable, Sendable, Equatable {
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  public var settings: SimulatorSettings
  public var hosts: [SimulatedHost]
  public var clusters: [SimulatedCluster]
  public var faults: [Fault]
  public var nextClusterID: Int

  /// A world of fresh standalone hosts, each running and Ready.
  public init(hosts specs: [HostSpec], now: Double) {
    formatVersion = Self.currentFormatVersion
    settings = SimulatorSettings()
    hosts = []
    clusters = []
    faults = []
    nextClusterID = 1
    for spec in specs {
      hosts.append(
        SimulatedHost(
          address: spec.address,
          hostname: spec.hostname,
          track: spec.track,
          cluster: 0
        )
      )
      if spec.installed {
        startFreshDatastore(hostIndex: hosts.count - 1, readyAt: now, now: now)
      } else {
        hosts[hosts.count - 1].installed = false
      }
    }
  }

  public func hostIndex(_ address: String) -> Int? {
    hosts.firstIndex { $0.address == address }
  }

  public func host(_ address: String) -> SimulatedHost? {
    hostIndex(address).map { hosts[$0] }
  }

  public func clusterIndex(_ id: Int) -> Int? {
    clusters.firstIndex { $0.id == id }
  }

  /// The datastore a host uses.
  public func cluster(of address: String) -> SimulatedCluster? {
    guard let host = host(address), let index = clusterIndex(host.cluster) else { return nil }
    return clusters[index]
  }

  /// Gives the host a new empty single-node datastore at `127.0.0.1:19001`: what install
  /// and `leave` create (contract §4 step 3, §6 "fresh standalone node").
  mutating func startFreshDatastore(hostIndex: Int, readyAt: Double, now: Double) {
    let host = hosts[hostIndex]
    let id = nextClusterID
    nextClusterID += 1
    let node = KubernetesNode(
      name: host.nodeName,
      host: host.address,
      internalIP: host.address,
      worker: false,
      kubeletVersion: host.release.kubeletVersion,
      createdAt: now,
      readyAt: readyAt
    )
    clusters.append(
      SimulatedCluster(
        id: id,
        members: [DatastoreMember(address: "127.0.0.1:19001", host: host.address, role: .voter)],
        nodes: [node],
        createdAt: now,
        kubeSystemUID: HexDigest.uid("kube-system \(id) \(host.address) \(now)")
      )
    )
    hosts[hostIndex].cluster = id
    hosts[hostIndex].mode = .standalone
    hosts[hostIndex].clustered = false
    collectGarbage()
  }

  /// Drops the datastores no host uses any more (a joiner's wiped one, contract §3.3).
  mutating func collectGarbage() {
    let used = Set(hosts.map(\.cluster))
    clusters.removeAll { !used.contains($0.id) }
  }
}
