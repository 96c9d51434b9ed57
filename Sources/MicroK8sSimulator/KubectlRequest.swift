/// The kubectl command lines the simulator understands: `get` of nodes and namespaces
/// (one type, or several as `nodes,namespaces`), one of them by name, `get lease NAME -n
/// kube-node-lease`, and `delete node`.
struct KubectlRequest: Equatable {
  enum Resource: Equatable {
    case nodes
    case namespaces
    /// The kubelets' heartbeats (`coordination.k8s.io` Leases in `kube-node-lease`).
    case leases
  }

  var delete: Bool
  /// The types asked for, in the order given; kubectl lists each type's objects in turn.
  var resources: [Resource]
  var name: String?
  var json: Bool
  /// `-n NAME` / `--namespace NAME`: only namespaced types (leases) heed it.
  var namespace: String?

  init?(_ arguments: [String]) {
    var words: [String] = []
    var output: String?
    var namespace: String?
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "-o" || argument == "--output" {
        guard index < arguments.count else { return nil }
        output = arguments[index]
        index += 1
      } else if argument == "-n" || argument == "--namespace" {
        guard index < arguments.count else { return nil }
        namespace = arguments[index]
        index += 1
      } else if argument.hasPrefix("--namespace=") {
        namespace = String(argument.dropFirst("--namespace=".count))
      } else if let value = Self.inlineOutput(argument) {
        output = value
      } else {
        words.append(argument)
      }
    }
    guard words.count >= 2, words.count <= 3 else { return nil }
    var resources: [Resource] = []
    for word in words[1].split(separator: ",", omittingEmptySubsequences: false) {
      guard let resource = Self.resource(String(word)), !resources.contains(resource) else {
        return nil
      }
      resources.append(resource)
    }
    switch words[0] {
    case "get": delete = false
    case "delete": delete = true
    default: return nil
    }
    self.resources = resources
    self.namespace = namespace
    name = words.count == 3 ? words[2] : nil
    // A name goes with one type; only nodes are ever deleted, by name, without -o.
    guard name == nil || resources.count == 1, output == nil || output == "json",
      !resources.contains(.leases) || resources.count == 1,
      !(delete && (name == nil || output != nil || resources != [.nodes]))
    else {
      return nil
    }
    json = output == "json"
  }

  private static func resource(_ word: String) -> Resource? {
    switch word {
    case "node", "nodes", "no": .nodes
    case "namespace", "namespaces", "ns": .namespaces
    case "lease", "leases": .leases
    default: nil
    }
  }

  private static func inlineOutput(_ argument: String) -> String? {
    for prefix in ["-o=", "--output=", "-o"]
    where argument.hasPrefix(prefix) && argument.count > prefix.count {
      return String(argument.dropFirst(prefix.count))
    }
    return nil
  }
}
