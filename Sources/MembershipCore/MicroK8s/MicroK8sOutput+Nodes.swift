extension MicroK8sOutput {
  /// MicroK8s's role labels (contract section 7); no `node-role.kubernetes.io` labels.
  static let controlPlaneLabel = "node.kubernetes.io/microk8s-controlplane"
  static let workerLabel = "node.kubernetes.io/microk8s-worker"

  private static let nodesWhat = "'microk8s kubectl get nodes,namespaces -o json' output"

  /// Reads `microk8s kubectl get nodes,namespaces -o json` (or `get nodes -o json`): a v1
  /// `List` (or `NodeList`) of Nodes, and of Namespaces when asked for.
  ///
  /// The `kube-system` namespace's UID is the cluster's identity. Per node: the name, the first IPv4 `InternalIP` (else the first IPv6 one), the
  /// role from MicroK8s's labels (nil with neither or both), `Ready` from the condition
  /// of that type, and `status.nodeInfo.kubeletVersion` (empty when absent).
  public static func nodes(_ output: CommandOutput) throws(MicroK8sFailure) -> NodeListing {
    if output.exitStatus == 0, output.stdout[...].trimmed.hasPrefix(workerStatusLine) {
      return .worker
    }
    if let failure = commonFailure(output, command: "kubectl") ?? apiServerFailure(output) {
      throw failure
    }
    // Anything that is not even trying to be JSON is no kubectl output mktopo knows.
    guard output.exitStatus == 0, let first = output.stdout[...].trimmed.first,
      first == "{" || first == "["
    else { throw fallback(output) }
    let json: ParsedJSON
    do {
      json = try JSONParser.parse(output.stdout)
    } catch {
      throw nodesProblem("not JSON: \(error.message) at byte \(error.offset)")
    }
    guard json.members != nil else { throw nodesProblem("the top level is not an object") }
    if let kind = json["kind"], kind.string != "List", kind.string != "NodeList" {
      throw nodesProblem("'kind' is \(kind.noun); expected 'List' or 'NodeList'")
    }
    guard let items = json["items"]?.elements else {
      throw nodesProblem("'items' is missing or not an array")
    }
    var nodes: [ObservedNode] = []
    nodes.reserveCapacity(items.count)
    var identity: String?
    for (index, item) in items.enumerated() {
      let path = "items[\(index)]"
      if item["kind"]?.string == "Namespace" {
        guard item["metadata"]?["name"]?.string == "kube-system" else { continue }
        guard let uid = item["metadata"]?["uid"]?.string, Self.isIdentity(uid) else {
          throw nodesProblem("'\(path).metadata.uid' of namespace kube-system is not a UID")
        }
        identity = uid
        continue
      }
      nodes.append(try node(item, path: path))
    }
    return .nodes(nodes, clusterIdentity: identity)
  }

  /// A Kubernetes UID.
  ///
  /// 8-4-4-4-12 hex digits. Anything else is not taken for an identity (it is shown to people and
  /// kept in a file).
  public static func isIdentity(_ text: String) -> Bool {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
    return groups.allSatisfy { $0.utf8.allSatisfy { Self.isHexDigit($0) } }
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
  }

  private static func node(_ item: ParsedJSON, path: String) throws(MicroK8sFailure) -> ObservedNode
  {
    guard item.members != nil else { throw nodesProblem("'\(path)' is not an object") }
    if let kind = item["kind"], kind.string != "Node" {
      throw nodesProblem("'\(path).kind' is \(kind.noun); expected 'Node' or 'Namespace'")
    }
    guard let name = item["metadata"]?["name"]?.string, !name.isEmpty else {
      throw nodesProblem("'\(path).metadata.name' is missing or not a string")
    }
    let status = item["status"]
    return ObservedNode(
      name: name,
      internalIP: try internalIP(status?["addresses"], path: path + ".status.addresses"),
      role: role(labels: item["metadata"]?["labels"]),
      ready: status?["conditions"]?.elements?.first { $0["type"]?.string == "Ready" }?["status"]?
        .string == "True",
      kubeletVersion: status?["nodeInfo"]?["kubeletVersion"]?.string ?? ""
    )
  }

  private static func internalIP(
    _ addresses: ParsedJSON?,
    path: String
  ) throws(MicroK8sFailure) -> NodeAddress? {
    let texts = (addresses?.elements ?? []).compactMap { entry in
      entry["type"]?.string == "InternalIP" ? entry["address"]?.string : nil
    }
    guard !texts.isEmpty else { return nil }
    let parsed = texts.compactMap(NodeAddress.parse)
    // Dual-stack nodes list both families; the cluster joins over IPv4 (contract §3.2).
    guard let address = parsed.first(where: { !$0.isIPv6 }) ?? parsed.first else {
      throw nodesProblem(
        "'\(path)' has InternalIP \(Redaction.redact(texts[0]).shown), which is not an IP address"
      )
    }
    return address
  }

  /// The role MicroK8s labelled the node with: nil when neither label (or, contradicting
  /// itself, both) is present; observation cross-checks with the datastore.
  private static func role(labels: ParsedJSON?) -> Role? {
    let controlPlane = labels?[controlPlaneLabel] != nil
    let worker = labels?[workerLabel] != nil
    switch (controlPlane, worker) {
    case (true, false): return .mixed
    case (false, true): return .worker
    default: return nil
    }
  }

  private static func nodesProblem(_ text: String) -> MicroK8sFailure {
    .malformed(what: nodesWhat, problem: Redaction.redact(text))
  }
}
