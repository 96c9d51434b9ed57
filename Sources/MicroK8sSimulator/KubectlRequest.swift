/// The kubectl command lines the simulator understands: `get` of nodes and namespaces
/// (one type, or several as `nodes,namespaces`), one of them by name, and `delete node`.
struct KubectlRequest: Equatable {
  enum Resource: Equatable {
    case nodes
    case namespaces
  }

  var delete: Bool
  /// The types asked for, in the order given; kubectl lists each type's objects in turn.
  var resources: [Resource]
  var name: String?
  var json: Bool

  init?(_ arguments: [String]) {
    var words: [String] = []
    var output: String?
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "-o" || argument == "--output" {
        guard index < arguments.count else { return nil }
        output = arguments[index]
        index += 1
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
    name = words.count == 3 ? words[2] : nil
    // A name goes with one type; only nodes are ever deleted, by name, without -o.
    guard name == nil || resources.count == 1, output == nil || output == "json",
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
