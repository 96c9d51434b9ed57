/// `kubectl get nodes -o json`: the Node objects as the API server returns them (contract §7).
enum NodeListRenderer {
  /// What kubectl prints for a list: `kind: List` wrapping `v1` Node items.
  static func list(_ items: [JSONDocument]) -> JSONDocument {
    .object([
      ("apiVersion", .string("v1")),
      ("items", .array(items)),
      ("kind", .string("List")),
      ("metadata", .object([("resourceVersion", .string(""))])),
    ])
  }

  /// A `v1` Namespace, as `kubectl get namespaces -o json` lists it.
  static func namespace(_ name: String, uid: String, at createdAt: Double) -> JSONDocument {
    .object([
      ("apiVersion", .string("v1")),
      ("kind", .string("Namespace")),
      (
        "metadata",
        .object([
          ("creationTimestamp", .string(Timestamp.rfc3339(createdAt))),
          (
            "labels",
            .object([("kubernetes.io/metadata.name", .string(name))])
          ),
          ("name", .string(name)),
          ("resourceVersion", .string(String(Int(createdAt) % 1_000_000))),
          ("uid", .string(uid)),
        ])
      ),
      ("spec", .object([("finalizers", .array([.string("kubernetes")]))])),
      ("status", .object([("phase", .string("Active"))])),
    ])
  }

  static func node(
    _ node: KubernetesNode,
    readiness: World.NodeReadiness,
    now: Double
  ) -> JSONDocument {
    let identity = "\(node.name) \(node.host) \(Int(node.createdAt))"
    let metadata = JSONDocument.object([
      (
        "annotations",
        .object([
          ("node.alpha.kubernetes.io/ttl", .string("0")),
          ("volumes.kubernetes.io/controller-managed-attach-detach", .string("true")),
        ])
      ),
      ("creationTimestamp", .string(Timestamp.rfc3339(node.createdAt))),
      ("labels", .object(node.labels.map { ($0.key, JSONDocument.string($0.value)) })),
      ("name", .string(node.name)),
      ("resourceVersion", .string(String(Int(node.createdAt) % 1_000_000))),
      ("uid", .string(HexDigest.uid(identity))),
    ])
    let resources = JSONDocument.object([
      ("cpu", .string("2")),
      ("ephemeral-storage", .string("19430032Ki")),
      ("hugepages-2Mi", .string("0")),
      ("memory", .string("3921748Ki")),
      ("pods", .string("110")),
    ])
    let status = JSONDocument.object([
      (
        "addresses",
        .array([
          .object([("address", .string(node.internalIP)), ("type", .string("InternalIP"))]),
          .object([("address", .string(node.name)), ("type", .string("Hostname"))]),
        ])
      ),
      ("allocatable", resources),
      ("capacity", resources),
      ("conditions", .array(conditions(node, readiness: readiness, now: now))),
      ("daemonEndpoints", .object([("kubeletEndpoint", .object([("Port", .number(10250))]))])),
      ("nodeInfo", nodeInfo(node, identity: identity)),
    ])
    return .object([
      ("apiVersion", .string("v1")),
      ("kind", .string("Node")),
      ("metadata", metadata),
      ("spec", spec(readiness, unschedulable: node.unschedulable, now: now)),
      ("status", status),
    ])
  }

  /// The node controller's taints: unreachable when Unknown, not-ready when False, and
  /// unschedulable on a cordoned node, which also has `spec.unschedulable`.
  private static func spec(
    _ readiness: World.NodeReadiness,
    unschedulable: Bool,
    now: Double
  ) -> JSONDocument {
    func taint(_ key: String, _ effect: String) -> JSONDocument {
      .object([
        ("effect", .string(effect)),
        ("key", .string(key)),
        ("timeAdded", .string(Timestamp.rfc3339(now))),
      ])
    }
    var taints: [JSONDocument] = []
    switch readiness {
    case .ready: break
    case .notReady: taints.append(taint("node.kubernetes.io/not-ready", "NoSchedule"))
    case .unknown:
      taints.append(taint("node.kubernetes.io/unreachable", "NoSchedule"))
      taints.append(taint("node.kubernetes.io/unreachable", "NoExecute"))
    }
    if unschedulable { taints.append(taint("node.kubernetes.io/unschedulable", "NoSchedule")) }
    var fields: [(String, JSONDocument)] = []
    if !taints.isEmpty { fields.append(("taints", .array(taints))) }
    if unschedulable { fields.append(("unschedulable", .bool(true))) }
    return .object(fields)
  }

  private static func conditions(
    _ node: KubernetesNode,
    readiness: World.NodeReadiness,
    now: Double
  ) -> [JSONDocument] {
    let unknown = readiness == .unknown
    let heartbeat = Timestamp.rfc3339(unknown ? node.createdAt : now)
    let transition = Timestamp.rfc3339(readiness == .ready ? node.readyAt : node.createdAt)
    func condition(
      _ type: String,
      _ status: String,
      _ reason: String,
      _ message: String
    )
      -> JSONDocument
    {
      .object([
        ("lastHeartbeatTime", .string(heartbeat)),
        ("lastTransitionTime", .string(transition)),
        ("message", .string(message)),
        ("reason", .string(reason)),
        ("status", .string(status)),
        ("type", .string(type)),
      ])
    }
    let pressures = [
      ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ]
    let stopped = "Kubelet stopped posting node status."
    var result = pressures.map { type, reason, message in
      unknown
        ? condition(type, "Unknown", "NodeStatusUnknown", stopped)
        : condition(type, "False", reason, message)
    }
    switch readiness {
    case .ready:
      result.append(condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
    case .notReady:
      result.append(
        condition(
          "Ready",
          "False",
          "KubeletNotReady",
          "container runtime network not ready: NetworkReady=false "
            + "reason:NetworkPluginNotReady message:Network plugin returns error: "
            + "cni plugin not initialized"
        )
      )
    case .unknown:
      result.append(condition("Ready", "Unknown", "NodeStatusUnknown", stopped))
    }
    return result
  }

  private static func nodeInfo(_ node: KubernetesNode, identity: String) -> JSONDocument {
    .object([
      ("architecture", .string("amd64")),
      ("bootID", .string(HexDigest.uid("boot " + identity))),
      ("containerRuntimeVersion", .string("containerd://1.6.28")),
      ("kernelVersion", .string("5.15.0-105-generic")),
      ("kubeProxyVersion", .string(node.kubeletVersion)),
      ("kubeletVersion", .string(node.kubeletVersion)),
      ("machineID", .string(HexDigest.of("machine " + node.host, length: 32))),
      ("operatingSystem", .string("linux")),
      ("osImage", .string("Ubuntu 22.04.4 LTS")),
      ("systemUUID", .string(HexDigest.uid("system " + node.host))),
    ])
  }
}
