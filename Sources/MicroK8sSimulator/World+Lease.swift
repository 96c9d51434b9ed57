/// The kubelets' heartbeats: one Lease per node in `kube-node-lease`, renewed every 10 s
/// while the kubelet reports (Kubernetes `pkg/kubelet/nodelease`: renew interval a quarter
/// of the 40 s lease duration). A silent kubelet's Lease keeps its last renewal, long
/// before the node controller marks the Node (node-monitor-grace-period).
extension World {
  static let leaseNamespace = "kube-node-lease"
  static let leaseRenewInterval = 10.0

  /// `kubectl get lease NAME -n kube-node-lease -o json`, or the list without a name.
  func leases(
    _ request: KubectlRequest,
    in cluster: SimulatedCluster,
    now: Double,
    into transcript: inout Transcript
  ) -> CommandOutcome {
    let inNamespace = (request.namespace ?? "default") == Self.leaseNamespace
    var nodes = inNamespace ? cluster.nodes : []
    if let name = request.name {
      nodes = nodes.filter { $0.name == name }
      guard !nodes.isEmpty else {
        let scope = "leases.coordination.k8s.io"
        transcript.err("Error from server (NotFound): \(scope) \"\(name)\" not found")
        return transcript.exit(1)
      }
    }
    let items = nodes.map { lease(for: $0, in: cluster, now: now) }
    if request.json {
      let document = request.name == nil ? NodeListRenderer.list(items) : items[0]
      transcript.out(document.rendered(indent: 4, sortKeys: true))
    } else {
      let rows = nodes.map { [$0.name, $0.name, Timestamp.age(now - $0.createdAt)] }
      Self.table(header: ["NAME", "HOLDER", "AGE"], rows: rows).forEach { transcript.out($0) }
    }
    return transcript.exit(0)
  }

  /// When the node's kubelet last renewed its Lease, as of `now`.
  func lastRenewal(of node: KubernetesNode, in cluster: SimulatedCluster, at now: Double) -> Double
  {
    var until = now
    if let host = host(node.host), host.cluster == cluster.id,
      host.mode == .worker || isAttached(host)
    {
      if !(host.reachable && host.running) { until = min(now, host.silentSince ?? node.createdAt) }
    } else {
      // Left, wiped or re-joined elsewhere: it stopped renewing here when it was created
      // at the latest, which is as stale as the simulator can tell.
      until = node.createdAt
    }
    let elapsed = max(0, until - node.createdAt)
    return node.createdAt + (elapsed / Self.leaseRenewInterval).rounded(.down)
      * Self.leaseRenewInterval
  }

  private func lease(
    for node: KubernetesNode,
    in cluster: SimulatedCluster,
    now: Double
  )
    -> JSONDocument
  {
    .object([
      ("apiVersion", .string("coordination.k8s.io/v1")),
      ("kind", .string("Lease")),
      (
        "metadata",
        .object([
          ("creationTimestamp", .string(Timestamp.rfc3339(node.createdAt))),
          ("name", .string(node.name)),
          ("namespace", .string(Self.leaseNamespace)),
        ])
      ),
      (
        "spec",
        .object([
          ("holderIdentity", .string(node.name)),
          ("leaseDurationSeconds", .number(40)),
          (
            "renewTime",
            .string(Timestamp.rfc3339Micro(lastRenewal(of: node, in: cluster, at: now)))
          ),
        ])
      ),
    ])
  }
}
