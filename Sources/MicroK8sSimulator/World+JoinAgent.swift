/// The contacted node's cluster agent answering `POST /cluster/api/v2.0/join`, and the
/// membership change a successful join makes (contract §3.3, §3.4).
extension World {
  enum AgentReply: Equatable {
    case accepted
    /// The HTTP status and the agent's error text, before capitalisation.
    case refused(status: Int, error: String)
  }

  /// The agent's checks in the agent's order.
  ///
  /// The token is checked, and consumed when single use, before anything else, so every
  /// later refusal burns it (contract §3.4).
  mutating func admitJoin(
    joiner: Int,
    target: Int,
    token: String,
    now: Double,
    worker: Bool
  ) -> AgentReply {
    let remoteIP = hosts[joiner].address
    if takeFault(.joinInvalidToken, host: remoteIP, verb: .join)
      || !hosts[target].tokens.consume(token, now: now)
    {
      return .refused(status: 500, error: "invalid token")
    }
    if let refusal = checkRequest(joiner: joiner, target: target) { return refusal }
    if let refusal = checkDatastore(joiner: joiner, target: target, worker: worker) {
      return refusal
    }
    if takeFault(.joinCustomEtcd, host: remoteIP, verb: .join) {
      return .refused(
        status: 500,
        error: "this MicroK8s cluster uses a custom etcd endpoint. update MicroK8s to version "
          + "1.28 or newer and retry the join operation"
      )
    }
    // contract §4: the agent marks the contacted node as clustered on every join.
    hosts[target].clustered = true
    if hosts[target].mode == .standalone { hosts[target].mode = .controlPlane }
    return .accepted
  }

  /// Rows 2 to 5 of contract §3.4: what the request itself can be refused for.
  private mutating func checkRequest(joiner: Int, target: Int) -> AgentReply? {
    let remoteIP = hosts[joiner].address
    let hostIP = hosts[target].address
    func fault(_ kind: FaultKind) -> Bool { takeFault(kind, host: remoteIP, verb: .join) }
    if fault(.joinNotHA) {
      return .refused(
        status: 501,
        error: "not possible to join. This is not an HA MicroK8s cluster"
      )
    }
    if fault(.joinAgentPortMismatch) {
      return .refused(
        status: 502,
        error: "the port of the cluster agent port has to be set to \(Self.agentPort)"
      )
    }
    if fault(.joinSameIP) || remoteIP == hostIP {
      return .refused(
        status: 503,
        error: "the joining node has the same IP (\(hostIP)) as the node we contact"
      )
    }
    // The agent checks the joiner's hostname only while the API server may reach kubelets
    // by hostname, which it stopped preferring in 1.28 (microk8s-cluster-agent
    // `pkg/api/v2/join.go`, `kubeAPIServerPrefersInternalIPForKubelet`).
    let checksHostname = !hosts[target].release.isAtLeast(1, 28)
    if fault(.joinHostnameUnresolvable) || (checksHostname && !hosts[joiner].hostnameResolves) {
      return .refused(
        status: 400,
        error: "the hostname (\(hosts[joiner].nodeName)) of the joining node does not resolve "
          + "to the IP \"\(remoteIP)\". Refusing join"
      )
    }
    return nil
  }

  /// Rows 6 and 7 of contract §3.4: the dqlite cluster must answer, must not know the
  /// joiner yet, and on the first join has its founder pinned to the dialled address.
  private mutating func checkDatastore(joiner: Int, target: Int, worker: Bool) -> AgentReply? {
    let remoteIP = hosts[joiner].address
    let hostIP = hosts[target].address
    func fault(_ kind: FaultKind) -> Bool { takeFault(kind, host: remoteIP, verb: .join) }
    // 1.29+ wraps every datastore error in one more prefix (contract §3.4 row 6).
    let modern = hosts[target].release.isAtLeast(1, 29)
    let wrap = modern ? "failed to retrieve dqlite cluster nodes: " : ""
    // A control-plane join is accepted by a member whose datastore lost its majority
    // (canonical/microk8s #4555, #4584): the node list comes from the agent's local
    // dqlite state. A worker's needs the API server to sign its certificates, which
    // cannot answer.
    guard isAttached(hosts[target]), let clusterIndex = clusterIndex(hosts[target].cluster),
      !worker || hasQuorum(clusters[clusterIndex])
    else {
      return .refused(
        status: 500,
        error: wrap + "failed to retrieve dqlite cluster nodes: timed out waiting for cluster "
          + "condition: context deadline exceeded"
      )
    }
    if fault(.joinAgentNoClusterFile) {
      // Verbatim from the agent (microk8s-cluster-agent PR #26), as the joiner prints it.
      return .refused(
        status: 500,
        error: "failed to retrieve dqlite cluster nodes: open "
          + "/var/snap/microk8s/current/var/kubernetes/backend/cluster.yaml: no such file or "
          + "directory"
      )
    }
    let members = clusters[clusterIndex].members
    if fault(.joinAlreadyKnown) || members.contains(where: { $0.address.hasPrefix(remoteIP + ":") })
    {
      return .refused(
        status: modern ? 500 : 504,
        error: wrap + "the joining node (\(remoteIP)) is already known to dqlite"
      )
    }
    guard members.count == 1, members[0].address.hasPrefix("127.0.0.1:") else { return nil }
    if fault(.joinDqliteBindAddress) {
      return .refused(
        status: 500,
        error: wrap + "failed to find matching dqlite bind address for \(hostIP):"
          + "\(Self.agentPort): address \(hostIP) was not found in any host interface. "
          + "refuse to update dqlite bind address to \(hostIP) as it would break the cluster"
      )
    }
    // contract §9: the first join pins the founder to the address the joiner dialled.
    clusters[clusterIndex].members[0].address = DatastoreMember.address(of: hostIP)
    return nil
  }

  /// A control-plane join: the joiner's own datastore is discarded (contract §3.3 step 10)
  /// and it becomes a spare member until the leader adjusts roles.
  mutating func completeControlPlaneJoin(joiner: Int, target: Int, now: Double) {
    let clusterID = hosts[target].cluster
    wipeForJoin(joiner: joiner, target: target, now: now)
    guard let clusterIndex = clusterIndex(clusterID) else { return }
    let host = hosts[joiner]
    clusters[clusterIndex].members.append(
      DatastoreMember(
        address: DatastoreMember.address(of: host.address),
        host: host.address,
        role: .spare
      )
    )
    register(host, worker: false, in: clusterIndex, target: target, now: now)
    let cluster = clusters[clusterIndex]
    clusters[clusterIndex].members = DatastoreLeader.assume(
      cluster.members,
      joiner: cluster.members.count - 1
    ) { isOnline($0, in: cluster) }
    scheduleRebalance(clusterID: clusterID, now: now)
  }

  /// A worker join: no datastore member, a Node with the worker labels (contract §3.3 step 11).
  mutating func completeWorkerJoin(joiner: Int, target: Int, now: Double) {
    let clusterID = hosts[target].cluster
    leaveDatastore(joiner: joiner, for: clusterID, now: now)
    hosts[joiner].mode = .worker
    hosts[joiner].clustered = true
    guard let clusterIndex = clusterIndex(clusterID) else { return }
    register(hosts[joiner], worker: true, in: clusterIndex, target: target, now: now)
  }

  /// The joiner gives up its datastore and points at the cluster's; with no member entry
  /// of its own yet it is not attached (the state a silent join timeout leaves behind).
  mutating func wipeForJoin(joiner: Int, target: Int, now: Double) {
    leaveDatastore(joiner: joiner, for: hosts[target].cluster, now: now)
    hosts[joiner].mode = .controlPlane
    hosts[joiner].clustered = true
  }

  private mutating func leaveDatastore(joiner: Int, for clusterID: Int, now: Double) {
    let previous = hosts[joiner].cluster
    hosts[joiner].cluster = clusterID
    collectGarbage()
    // Where the joiner was a member of a bigger cluster, it now counts as offline there.
    scheduleRebalance(clusterID: previous, now: now)
  }

  private mutating func register(
    _ host: SimulatedHost,
    worker: Bool,
    in clusterIndex: Int,
    target: Int,
    now: Double
  ) {
    let node = KubernetesNode(
      name: host.nodeName,
      host: host.address,
      internalIP: host.address,
      worker: worker,
      kubeletVersion: host.release.kubeletVersion,
      createdAt: now,
      readyAt: now + settings.readyDelay,
      neverReady: !host.release.sameMinor(as: hosts[target].release)
    )
    clusters[clusterIndex].register(node)
  }
}
