/// A Kubernetes Node object held by a cluster's datastore (contract §7).
///
/// The object outlives the kubelet that registered it: after `leave`, or when its host
/// goes away, it stays listed, and only `remove-node` (or `kubectl delete node`) deletes it.
public struct KubernetesNode: Codable, Sendable, Equatable {
  /// The lowercase hostname of the host that registered it.
  public var name: String
  /// The address of the simulated host whose kubelet reports for it.
  public var host: String
  public var internalIP: String
  public var worker: Bool
  public var kubeletVersion: String
  public var createdAt: Double
  /// Before this wall time the kubelet reports `Ready=False` (the ready-delay setting).
  public var readyAt: Double
  /// A node joined across minor releases: it registers but never turns Ready, one of the
  /// "arbitrary later" failures of a version mismatch (contract §3.5, §11.13).
  public var neverReady: Bool
  /// Cordoned (`spec.unschedulable`): no new pod is placed on it.
  public var unschedulable = false

  public init(
    name: String,
    host: String,
    internalIP: String,
    worker: Bool,
    kubeletVersion: String,
    createdAt: Double,
    readyAt: Double,
    neverReady: Bool = false
  ) {
    self.name = name
    self.host = host
    self.internalIP = internalIP
    self.worker = worker
    self.kubeletVersion = kubeletVersion
    self.createdAt = createdAt
    self.readyAt = readyAt
    self.neverReady = neverReady
  }

  /// The labels MicroK8s asks the kubelet to set, plus the upstream ones (contract §7).
  public var labels: [String: String] {
    var labels = [
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": name,
      "kubernetes.io/os": "linux",
      "microk8s.io/cluster": "true",
    ]
    if worker {
      labels["node.kubernetes.io/microk8s-worker"] = "microk8s-worker"
    } else {
      labels["node.kubernetes.io/microk8s-controlplane"] = "microk8s-controlplane"
    }
    return labels
  }
}
