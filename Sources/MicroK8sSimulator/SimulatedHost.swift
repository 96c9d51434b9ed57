/// One machine of the simulated world and the MicroK8s installed on it.
public struct SimulatedHost: Codable, Sendable, Equatable {
  public enum Mode: String, Codable, Sendable {
    /// Never joined anything, or left: its own single-node datastore.
    case standalone
    /// A control-plane node of a cluster with other nodes (or that had some).
    case controlPlane
    /// `var/lock/clustered.lock`: no datastore of its own (contract §1).
    case worker
  }

  public var address: String
  /// As the machine reports it; the Node name is its lowercase form (contract §7).
  public var hostname: String
  public var track: String
  public var mode: Mode
  /// The id of the datastore this host's MicroK8s uses.
  public var cluster: Int
  /// False when the machine is down: nothing answers, not even ssh.
  public var reachable: Bool
  /// False after `microk8s stop` (`var/lock/stopped.lock`, contract §1).
  public var running: Bool
  /// When the kubelet last stopped reporting (host down or MicroK8s stopped).
  ///
  /// Nil while it reports. The Node stays Ready for the node-monitor grace period after.
  public var silentSince: Double?
  /// `var/lock/low-memory-guard.lock`, created at install on small machines (contract §3.3).
  public var lowMemory: Bool
  /// Whether the machine's hostname resolves to its address on the cluster's nodes
  /// (DNS or /etc/hosts); what the join agent checks up to 1.27.
  public var hostnameResolves: Bool = true
  /// `var/lock/no-cert-reissue`: set on both sides by a join, cleared by leave (contract §4).
  public var clustered: Bool
  /// SHA-256 of the DER server certificate, 64 lowercase hex digits (contract §2.3).
  public var certificateHash: String
  /// `credentials/cluster-tokens.txt`, in file order.
  public var tokens: [JoinToken]
  /// Until when its services restart after a `snap refresh`: its datastore member is
  /// offline meanwhile (nil when it runs as usual).
  public var restartingUntil: Double?
  /// Whether the microk8s snap is installed; a bare host has no datastore (cluster 0),
  /// and its `track` is only what a spec named.
  public var installed = true

  public init(address: String, hostname: String, track: String, cluster: Int) {
    self.address = address
    self.hostname = hostname
    self.track = track
    self.mode = .standalone
    self.cluster = cluster
    self.reachable = true
    self.running = true
    self.lowMemory = false
    self.clustered = false
    self.certificateHash = HexDigest.of("server.crt \(address) \(hostname)", length: 64)
    self.tokens = []
  }

  /// The Kubernetes node name: the lowercase hostname (contract §7).
  public var nodeName: String { hostname.lowercased() }

  /// What `add-node` prints as the check: the first 12 hex digits (contract §2.3).
  public var fingerprint: String { String(certificateHash.prefix(12)) }

  public var release: MicroK8sRelease {
    MicroK8sRelease(track: track) ?? MicroK8sRelease(major: 1, minor: 28)
  }
}
