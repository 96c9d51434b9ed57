/// The kubectl command lines the simulator understands.
struct KubectlRequest: Equatable {
  var delete: Bool
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
    guard words.count >= 2, ["node", "nodes", "no"].contains(words[1]), words.count <= 3 else {
      return nil
    }
    switch words[0] {
    case "get": delete = false
    case "delete": delete = true
    default: return nil
    }
    name = words.count == 3 ? words[2] : nil
    guard output == nil || output == "json", !(delete && (name == nil || output != nil)) else {
      return nil
    }
    json = output == "json"
  }

  private static func inlineOutput(_ argument: String) -> String? {
    for prefix in ["-o=", "--output=", "-o"]
    where argument.hasPrefix(prefix) && argument.count > prefix.count {
      return String(argument.dropFirst(prefix.count))
    }
    return nil
  }
}
