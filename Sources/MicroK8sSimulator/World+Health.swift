/// Liveness as the datastore and the Kubernetes node controller see it.
extension World {
  /// How a Node's Ready condition reads (contract §7).
  public enum NodeReadiness: String, Sendable {
    case ready = "True"
    case notReady = "False"
    case unknown = "Unknown"
  }

  /// A member is online when its host is up, MicroK8s runs, and the host still uses this
  /// datastore as a control-plane node (a wiped or re-joined host never answers again).
  public func isOnline(_ member: DatastoreMember, in cluster: SimulatedCluster) -> Bool {
    guard let host = host(member.host) else { return false }
    return host.reachable && host.running && host.cluster == cluster.id && host.mode != .worker
      && host.restartingUntil == nil
  }

  public func hasQuorum(_ cluster: SimulatedCluster) -> Bool {
    DatastoreLeader.hasQuorum(cluster.members) { isOnline($0, in: cluster) }
  }

  /// Whether the host is a control-plane node of its datastore that still holds its entry
  /// (false after a silent join timeout or a forced removal while it ran: contract §3.3, §5).
  public func isAttached(_ host: SimulatedHost) -> Bool {
    guard host.mode != .worker, let index = clusterIndex(host.cluster) else { return false }
    return clusters[index].memberIndex(host: host.address) != nil
  }

  /// The Ready condition of `node` at `now`: Unknown once its kubelet stopped reporting to
  /// this cluster (host down or stopped, left, or wiped), False while it is still starting.
  public func readiness(
    of node: KubernetesNode,
    in cluster: SimulatedCluster,
    at now: Double
  ) -> NodeReadiness {
    guard let host = host(node.host), host.cluster == cluster.id,
      host.mode == .worker || isAttached(host)
    else { return .unknown }
    guard host.reachable, host.running else {
      // The node controller marks a silent kubelet's Node only after its grace period
      // (node-monitor-grace-period): until then it reads as it last reported.
      guard let since = host.silentSince, now < since + settings.nodeMonitorGrace,
        !node.neverReady, node.readyAt <= since
      else { return .unknown }
      return .ready
    }
    return node.neverReady || now < node.readyAt ? .notReady : .ready
  }

  /// Asks the leader to adjust roles now, or after the rebalance delay.
  mutating func scheduleRebalance(clusterID: Int, now: Double) {
    guard let index = clusterIndex(clusterID) else { return }
    if settings.rebalanceDelay <= 0 {
      rebalance(clusterIndex: index)
    } else if clusters[index].rebalanceAt == nil {
      clusters[index].rebalanceAt = now + settings.rebalanceDelay
    }
  }

  /// Applies the role adjustments that fell due by `now`.
  public mutating func settle(now: Double) {
    for index in hosts.indices {
      if let until = hosts[index].restartingUntil, until <= now {
        hosts[index].restartingUntil = nil
      }
    }
    for index in clusters.indices {
      if let due = clusters[index].rebalanceAt, due <= now {
        rebalance(clusterIndex: index)
      }
    }
  }

  private mutating func rebalance(clusterIndex index: Int) {
    let cluster = clusters[index]
    clusters[index].members = DatastoreLeader.rebalance(cluster.members, leader: cluster.leader) {
      isOnline($0, in: cluster)
    }
    clusters[index].rebalanceAt = nil
  }
}
