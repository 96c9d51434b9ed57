/// The YAML of `microk8s status --format yaml`, walked into a `DatastoreStatus`.
///
/// status.py prints this YAML with format strings, not a YAML emitter (contract
/// section 6), so three things are fixed up before parsing:
/// - everything from `addons:` on is dropped: addon descriptions are printed unquoted
///   and one with `: ` in it would make the whole document invalid;
/// - `message:` lines are dropped: the not-running message lands under
///   `high-availability` (or, in older scripts, at an indentation no parser accepts);
/// - an IPv6 member address, printed as `[fd00::1]:19001`, would read as a flow
///   sequence, so it is quoted.
struct StatusYAML {
  private let document: YAMLDocument

  private static let what = "'microk8s status --format yaml' output"

  static func read(
    _ stdout: String
  ) throws(MicroK8sFailure) -> (running: Bool, datastore: DatastoreStatus) {
    var text = prepared(stdout)
    let loaded = text.withUTF8 { YAMLDocument.load($0, file: "status") }
    let document: YAMLDocument
    switch loaded {
    case .success(let value): document = value
    case .failure(let list):
      let message = list.diagnostics.first?.message ?? "not YAML"
      throw .malformed(what: what, problem: Redaction.redact(message))
    }
    return try withExtendedLifetime(document) { () throws(MicroK8sFailure) in
      try StatusYAML(document: document).walk()
    }
  }

  static func prepared(_ stdout: String) -> String {
    var kept: [Substring] = []
    // isNewline, not "\n": a "\r\n" (from a pty) is one Character.
    for line in stdout.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      if line.hasPrefix("addons:") { break }
      let content = line.trimmed
      if content.hasPrefix("message:") { continue }
      if content.hasPrefix("- address: ["), !content.contains("\""),
        let colon = line.firstRange(of: "address: ")
      {
        kept.append(line[..<colon.upperBound] + "\"" + line[colon.upperBound...].trimmed + "\"")
        continue
      }
      kept.append(line)
    }
    return kept.joined(separator: "\n")
  }

  private func walk() throws(MicroK8sFailure) -> (running: Bool, datastore: DatastoreStatus) {
    guard let root = document.root, root.kind == .mapping else {
      throw problem("the document is not a mapping")
    }
    guard let microk8s = value(root, "microk8s"), microk8s.kind == .mapping else {
      throw problem("'microk8s' is missing or not a mapping")
    }
    let running = try boolean(microk8s, "running", path: "microk8s.running")
    guard let ha = value(root, "high-availability"), ha.kind == .mapping else {
      throw problem("'high-availability' is missing or not a mapping")
    }
    let enabled = try boolean(ha, "enabled", path: "high-availability.enabled")
    var members: [DatastoreMember] = []
    // `nodes` is absent when dqlite is off, and empty when status gave up asking it.
    if let nodes = value(ha, "nodes"), !(nodes.kind == .scalar && nodes.scalarKind == .null) {
      guard nodes.kind == .sequence else {
        throw problem("'high-availability.nodes' is not a list")
      }
      for (index, item) in nodes.items.enumerated() {
        guard let node = document.node(item) else { continue }
        members.append(try member(node, path: "high-availability.nodes[\(index)]"))
      }
    }
    return (running, DatastoreStatus(highAvailability: enabled, members: members))
  }

  private func member(_ node: YAMLNode, path: String) throws(MicroK8sFailure) -> DatastoreMember {
    guard node.kind == .mapping else { throw problem("'\(path)' is not a mapping") }
    let addressText = try string(node, "address", path: path + ".address")
    guard let (address, port) = Self.endpoint(addressText) else {
      let shown = Redaction.redact(addressText).shown
      throw problem("'\(path).address' is \(shown); expected IP:PORT")
    }
    let roleText = try string(node, "role", path: path + ".role")
    guard let role = DatastoreRole(rawValue: roleText) else {
      throw problem(
        "'\(path).role' is \(Redaction.redact(roleText).shown); expected voter, standby or spare"
      )
    }
    return DatastoreMember(address: address, port: port, role: role)
  }

  /// `IP:PORT`, or `[IPv6]:PORT`.
  static func endpoint(_ text: String) -> (NodeAddress, Int)? {
    let host: Substring
    let port: Substring
    if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
      host = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      guard rest.hasPrefix(":") else { return nil }
      port = rest.dropFirst()
    } else {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2 else { return nil }
      host = parts[0]
      port = parts[1]
    }
    guard let address = NodeAddress.parse(String(host)),
      (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
      let number = Int(port), (1...65535).contains(number)
    else { return nil }
    return (address, number)
  }

  // MARK: - Reading nodes

  /// The value of the first pair whose key is the plain text `key`.
  private func value(_ mapping: YAMLNode, _ key: String) -> YAMLNode? {
    for pair in mapping.pairs {
      guard let keyNode = document.node(pair.key), keyNode.kind == .scalar,
        keyNode.string == key
      else { continue }
      return document.node(pair.value)
    }
    return nil
  }

  /// Python's `True`/`False`, which YAML reads as booleans.
  private func boolean(
    _ mapping: YAMLNode,
    _ key: String,
    path: String
  ) throws(MicroK8sFailure) -> Bool {
    guard let node = value(mapping, key), node.kind == .scalar, node.scalarKind == .boolean
    else { throw problem("'\(path)' is missing or not True/False") }
    return node.string.lowercased() == "true"
  }

  private func string(
    _ mapping: YAMLNode,
    _ key: String,
    path: String
  ) throws(MicroK8sFailure) -> String {
    guard let node = value(mapping, key), node.kind == .scalar else {
      throw problem("'\(path)' is missing or not a single value")
    }
    return node.string
  }

  private func problem(_ text: String) -> MicroK8sFailure {
    .malformed(what: Self.what, problem: Redaction.redact(text))
  }
}
