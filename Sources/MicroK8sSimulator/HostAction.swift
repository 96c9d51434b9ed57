/// What `microk8s-sim host ADDRESS ACTION` does to a simulated machine.
public enum HostAction: Sendable, Equatable {
  /// The machine goes away: every command fails like an unreachable ssh host.
  case down
  case up
  /// `microk8s stop` / `microk8s start` (contract §1 `stopped.lock`).
  case stop
  case start
  /// The install-time low-memory guard lock appears or goes (contract §3.3 step 3).
  case lowMemory(Bool)
  /// `snap remove --purge` and a fresh install: a new standalone node, a new certificate.
  case reinstall
  /// `snap refresh --channel TRACK`: a new MicroK8s release on the same data.
  case refresh(track: String)
  /// The hostname stops (or starts) resolving to the host's address.
  case hostnameResolves(Bool)
  /// The host's member wins a raft election (as after the leader restarted): it leads
  /// its datastore's next role adjustments, so it is the voter kept in a shrink to two.
  case lead

  public static let usage =
    "down | up | stop | start | low-memory | enough-memory | reinstall | refresh TRACK | "
    + "unresolvable | resolvable | lead"

  public static func parse(_ words: [String]) -> HostAction? {
    switch words {
    case ["down"]: .down
    case ["up"]: .up
    case ["stop"]: .stop
    case ["start"]: .start
    case ["low-memory"]: .lowMemory(true)
    case ["enough-memory"]: .lowMemory(false)
    case ["reinstall"]: .reinstall
    case ["unresolvable"]: .hostnameResolves(false)
    case ["resolvable"]: .hostnameResolves(true)
    case ["lead"]: .lead
    case _
    where words.count == 2 && words[0] == "refresh" && MicroK8sRelease(track: words[1]) != nil:
      .refresh(track: words[1])
    default: nil
    }
  }
}

extension World {
  /// Applies a host action; returns false when no host has that address.
  public mutating func apply(_ action: HostAction, to address: String, now: Double) -> Bool {
    settle(now: now)
    guard let index = hostIndex(address) else { return false }
    let clusterID = hosts[index].cluster
    switch action {
    case .down:
      if hosts[index].reachable && hosts[index].running { hosts[index].silentSince = now }
      hosts[index].reachable = false
    case .up:
      hosts[index].reachable = true
      restartKubelet(hostIndex: index, now: now)
    case .stop:
      if hosts[index].reachable && hosts[index].running { hosts[index].silentSince = now }
      hosts[index].running = false
    case .start:
      hosts[index].running = true
      restartKubelet(hostIndex: index, now: now)
    case .lowMemory(let low): hosts[index].lowMemory = low
    case .reinstall:
      let host = hosts[index]
      hosts[index] = SimulatedHost(
        address: host.address,
        hostname: host.hostname,
        track: host.track,
        cluster: 0
      )
      hosts[index].certificateHash = HexDigest.of(
        "reinstall \(host.certificateHash) \(now)",
        length: 64
      )
      hosts[index].lowMemory = host.lowMemory
      startFreshDatastore(hostIndex: index, readyAt: now + settings.readyDelay, now: now)
    case .refresh(let track):
      hosts[index].track = track
      refreshNodeVersion(hostIndex: index)
    case .hostnameResolves(let resolves):
      hosts[index].hostnameResolves = resolves
    case .lead:
      if let clusterIndex = clusterIndex(clusterID),
        clusters[clusterIndex].members.contains(where: { $0.host == address && $0.role == .voter })
      {
        clusters[clusterIndex].leader = address
      }
    }
    scheduleRebalance(clusterID: clusterID, now: now)
    return true
  }

  mutating func refreshNodeVersion(hostIndex: Int) {
    let host = hosts[hostIndex]
    guard let clusterIndex = clusterIndex(host.cluster) else { return }
    for nodeIndex in clusters[clusterIndex].nodes.indices
    where clusters[clusterIndex].nodes[nodeIndex].host == host.address {
      clusters[clusterIndex].nodes[nodeIndex].kubeletVersion = host.release.kubeletVersion
    }
  }
}
