/// Walks a loaded YAML document into a `TopologyDraft`, reporting every problem.
///
/// Keys, types and single-field formats are checked here, at the position of the
/// offending key or value; rules that span nodes live in `TopologyValidator`.
struct TopologyDecoder {
  let document: YAMLDocument
  let file: String
  var diagnostics: [Diagnostic] = []
  var draft = TopologyDraft()
  /// Keys suggested for misspelt ones in the mapping `entries` read last: a required key
  /// the user only misspelt is reported once, as the misspelling.
  var suggestedKeys: Set<String> = []

  init(document: YAMLDocument, file: String) {
    self.document = document
    self.file = file
  }

  static let topLevelKeys = KeySet(["apiVersion", "kind", "cluster", "defaults", "policy", "nodes"])
  static let clusterKeys = KeySet(["name", "version"])
  static let defaultsKeys = KeySet(["connection", "microk8s", "snap"])
  static let policyKeys = KeySet([
    "prune", "maxRemovals", "cleanupGhosts", "joinTimeout", "readyTimeout", "leaveTimeout",
    "tokenTTL", "readTimeout", "drain", "drainTimeout", "install",
  ])
  static let nodeKeys = KeySet([
    "name", "address", "role", "version", "state", "connection", "microk8s", "snap",
  ])
  static let connectionKeys = KeySet([
    "type", "user", "port", "identityFile", "proxyJump", "knownHostsFile", "hostKeyChecking",
    "command",
  ])

  mutating func decode() {
    guard let root = document.root else { return }
    draft.rootPosition = root.position
    guard root.kind == .mapping else {
      error(
        "a topology must be a mapping with apiVersion, kind, cluster and nodes; found \(root.noun)",
        at: root.position
      )
      return
    }
    var seen = Set<String>()
    for entry in entries(of: root, allowed: Self.topLevelKeys, in: "the top level") {
      seen.insert(entry.key)
      switch entry.key {
      case "apiVersion": decodeConstant(entry, expected: "mktopo/v1")
      case "kind": decodeConstant(entry, expected: "Topology")
      case "cluster": decodeCluster(entry.value)
      case "defaults": decodeDefaults(entry.value)
      case "policy": decodePolicy(entry.value)
      case "nodes": decodeNodes(entry)
      default: break
      }
    }
    let suggested = suggestedKeys
    for key in ["apiVersion", "kind", "cluster", "nodes"]
    where !seen.contains(key) && !suggested.contains(key) {
      let example =
        key == "apiVersion" ? " (apiVersion: mktopo/v1)" : key == "kind" ? " (kind: Topology)" : ""
      error("missing required key \(key.shown)\(example)", at: root.position)
    }
  }

  private mutating func decodeConstant(_ entry: Entry, expected: String) {
    guard let value = string(entry.value, entry.key) else { return }
    if value != expected {
      let what = entry.key == "apiVersion" ? "unsupported apiVersion" : "unsupported kind"
      error("\(what) \(value.shown); this mktopo reads '\(expected)'", at: entry.value.position)
    }
  }

  private mutating func decodeCluster(_ node: YAMLNode) {
    draft.clusterPosition = node.position
    guard expectMapping(node, "cluster") else { return }
    var seen = Set<String>()
    let clusterEntries = entries(of: node, allowed: Self.clusterKeys, in: "cluster")
    seen.formUnion(suggestedKeys)
    for entry in clusterEntries {
      seen.insert(entry.key)
      switch entry.key {
      case "name":
        draft.clusterNamePosition = entry.value.position
        draft.clusterName = label(entry.value, "cluster.name", what: "cluster name")
      case "version":
        draft.clusterVersionPosition = entry.value.position
        draft.clusterVersion = track(entry.value, "cluster.version")
      default: break
      }
    }
    for key in Self.clusterKeys.names where !seen.contains(key) {
      error("cluster is missing required key \(key.shown)", at: node.position)
    }
  }

  private mutating func decodeDefaults(_ node: YAMLNode) {
    guard expectMapping(node, "defaults") else { return }
    for entry in entries(of: node, allowed: Self.defaultsKeys, in: "defaults") {
      switch entry.key {
      case "connection":
        draft.defaultConnectionPosition = entry.value.position
        draft.defaultConnection = connection(entry.value, "defaults.connection")
      case "microk8s": draft.defaultMicroK8s = argv(entry.value, "defaults.microk8s")
      case "snap": draft.defaultSnap = argv(entry.value, "defaults.snap")
      default: break
      }
    }
  }

  private mutating func decodePolicy(_ node: YAMLNode) {
    guard expectMapping(node, "policy") else { return }
    for entry in entries(of: node, allowed: Self.policyKeys, in: "policy") {
      let path = "policy." + entry.key
      draft.policy.positions[entry.key] = entry.value.position
      switch entry.key {
      case "prune": boolean(entry.value, path).map { draft.policy.prune = $0 }
      case "cleanupGhosts": boolean(entry.value, path).map { draft.policy.cleanupGhosts = $0 }
      case "maxRemovals":
        integer(entry.value, path, in: 0...1_000_000).map { draft.policy.maxRemovals = $0 }
      case "joinTimeout": duration(entry.value, path).map { draft.policy.joinTimeout = $0 }
      case "readyTimeout": duration(entry.value, path).map { draft.policy.readyTimeout = $0 }
      case "leaveTimeout": duration(entry.value, path).map { draft.policy.leaveTimeout = $0 }
      case "tokenTTL": duration(entry.value, path).map { draft.policy.tokenTTL = $0 }
      case "readTimeout": duration(entry.value, path).map { draft.policy.readTimeout = $0 }
      case "drain": boolean(entry.value, path).map { draft.policy.drain = $0 }
      case "install": boolean(entry.value, path).map { draft.policy.install = $0 }
      case "drainTimeout": duration(entry.value, path).map { draft.policy.drainTimeout = $0 }
      default: break
      }
    }
  }

  private mutating func decodeNodes(_ entry: Entry) {
    let node = entry.value
    draft.nodesPosition = entry.keyPosition
    if node.kind == .scalar, node.scalarKind == .null {
      error("'nodes' is empty; list at least one node", at: entry.keyPosition)
      return
    }
    guard node.kind == .sequence else {
      error("'nodes' must be a list of nodes, found \(node.noun)", at: node.position)
      return
    }
    let items = node.items
    if items.isEmpty {
      error("'nodes' is empty; list at least one node", at: node.position)
      return
    }
    draft.nodes.reserveCapacity(items.count)
    var buffer: [Entry] = []
    for (index, item) in items.enumerated() {
      guard let itemNode = document.node(item) else { continue }
      if let decoded = decodeNode(itemNode, index: index, buffer: &buffer) {
        draft.nodes.append(decoded)
      }
    }
  }
}
