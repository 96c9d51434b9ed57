import Glibc

extension GitSource {
  /// Refuses a ref or path git could take for an option, and paths outside the tree.
  func checkArguments() throws(Failure) {
    if let rule = Self.refProblem(ref) {
      throw failure(.invalidArgument(name: "ref", value: ref, rule: rule))
    }
    if let rule = Self.pathProblem(path) {
      throw failure(.invalidArgument(name: "path", value: path, rule: rule))
    }
  }

  static func refProblem(_ ref: String) -> String? {
    if ref.isEmpty { return "must not be empty" }
    if ref.hasPrefix("-") { return "must not start with '-'" }
    if ref.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) {
      return "must not contain spaces or control characters"
    }
    return nil
  }

  static func pathProblem(_ path: String) -> String? {
    if path.isEmpty { return "must not be empty" }
    if path.hasPrefix("-") { return "must not start with '-'" }
    if path.hasPrefix("/") { return "must be relative to the repository's top level" }
    if path.contains(where: { $0.asciiValue.map { $0 < 0x20 } == true }) {
      return "must not contain control characters"
    }
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    if components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
      return "must be a plain relative path (no '.', '..', '//' or trailing '/')"
    }
    return nil
  }

  static func isCommitHash(_ text: String) -> Bool {
    (text.count == 40 || text.count == 64)
      && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }
}
