/// The containers and scalars of a snapshot, each read with its problems reported.
extension SnapshotDecoder {
  // MARK: - Containers

  /// The known keys of an object and where each key is written.
  struct Fields {
    var members: [String: ParsedJSONMember] = [:]

    subscript(key: String) -> ParsedJSON? { members[key]?.value }

    func keyOffset(_ key: String) -> Int? { members[key]?.keyOffset }
  }

  /// The known keys of an object, each once; reports unknown, duplicate and missing keys.
  mutating func object(
    _ value: ParsedJSON,
    _ path: String,
    required: [String],
    optional: [String]
  ) -> Fields? {
    guard case .object(let members) = value.kind else {
      error("\(quoted(path)) must be an object, found \(value.noun)", at: value.offset)
      return nil
    }
    let allowed = required + optional
    var fields = Fields()
    var keyOffsets: [String: Int] = [:]
    var suggested: Set<String> = []
    for member in members {
      if let first = keyOffsets[member.key] {
        error(
          "duplicate key \(member.key.shown) in \(quoted(path))",
          at: member.keyOffset,
          note: (first, "first written here")
        )
        continue
      }
      keyOffsets[member.key] = member.keyOffset
      guard allowed.contains(member.key) else {
        var message = "unknown key \(member.key.shown) in \(quoted(path))"
        if let suggestion = Spelling.suggestion(for: member.key, among: allowed) {
          message += "; did you mean '\(suggestion)'?"
          suggested.insert(suggestion)
        } else {
          message += "; expected one of " + allowed.map { "'\($0)'" }.joined(separator: ", ")
        }
        error(message, at: member.keyOffset)
        continue
      }
      fields.members[member.key] = member
    }
    // A key already suggested for a misspelt one is not reported missing as well.
    let missing = required.filter { keyOffsets[$0] == nil && !suggested.contains($0) }
    if !missing.isEmpty {
      let keys = missing.map { "'\($0)'" }.joined(separator: ", ")
      error(
        "\(quoted(path)) is missing required key\(missing.count == 1 ? "" : "s") \(keys)",
        at: value.offset
      )
    }
    return fields
  }

  /// Each element read with `read`; nil when the value is not an array or any element
  /// has a problem (so that later checks are not made on a partial list).
  mutating func list<Element>(
    _ value: ParsedJSON?,
    _ path: String,
    _ read: (inout SnapshotDecoder, ParsedJSON, String) -> Element?
  ) -> [Element]? {
    guard let value else { return nil }
    guard case .array(let elements) = value.kind else {
      error("'\(path)' must be an array, found \(value.noun)", at: value.offset)
      return nil
    }
    var result: [Element] = []
    result.reserveCapacity(elements.count)
    var complete = true
    for (index, element) in elements.enumerated() {
      if let read = read(&self, element, "\(path)[\(index)]") {
        result.append(read)
      } else {
        complete = false
      }
    }
    return complete ? result : nil
  }

  /// Reports every entry whose key an earlier entry has; returns each key's first offset.
  @discardableResult
  mutating func unique<Element, Key: Hashable & CustomStringConvertible>(
    _ entries: [Element]?,
    _ what: String,
    key: (Element) -> Key,
    offset: (Element) -> Int
  ) -> [Key: Int] {
    var seen: [Key: Int] = [:]
    for entry in entries ?? [] {
      let entryKey = key(entry)
      if let first = seen[entryKey] {
        error(
          "duplicate \(what) \(entryKey.description.shown)",
          at: offset(entry),
          note: (first, "first listed here")
        )
      } else {
        seen[entryKey] = offset(entry)
      }
    }
    return seen
  }

  // MARK: - Scalars

  mutating func string(_ value: ParsedJSON, _ path: String) -> String? {
    guard case .string(let text) = value.kind else {
      error("'\(path)' must be a string, found \(value.noun)", at: value.offset)
      return nil
    }
    return text
  }

  mutating func bool(_ value: ParsedJSON, _ path: String) -> Bool? {
    guard case .bool(let flag) = value.kind else {
      error("'\(path)' must be true or false, found \(value.noun)", at: value.offset)
      return nil
    }
    return flag
  }

  /// One of `choices`, with a suggestion for a near miss.
  mutating func choice(
    _ value: ParsedJSON,
    _ path: String,
    _ choices: [String],
    orNull: Bool
  ) -> String? {
    var names = choices.map { "'\($0)'" }
    if orNull { names.append("null") }
    let expected = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    guard case .string(let text) = value.kind else {
      error("'\(path)' must be \(expected), found \(value.noun)", at: value.offset)
      return nil
    }
    guard choices.contains(text) else {
      error(
        "'\(path)' must be \(expected), found \(text.shown)"
          + Spelling.hint(for: text, among: choices),
        at: value.offset
      )
      return nil
    }
    return text
  }

  mutating func clusterName(_ value: ParsedJSON) -> String? {
    guard let text = string(value, "cluster") else { return nil }
    guard NameRules.isLabel(text) else {
      error("invalid cluster name \(text.shown): \(NameRules.labelProblem(text))", at: value.offset)
      return nil
    }
    return text
  }

  /// A Kubernetes node name: a lowercase RFC 1123 DNS subdomain (labels joined by dots).
  mutating func name(_ value: ParsedJSON, _ path: String) -> String? {
    guard let text = string(value, path) else { return nil }
    if let problem = Self.nameProblem(text) {
      error("invalid node name \(text.shown) in '\(path)': \(problem)", at: value.offset)
      return nil
    }
    return text
  }

  static func nameProblem(_ text: String) -> String? {
    guard text.utf8.count <= 253 else {
      return "it is \(text.utf8.count) characters long; the limit is 253"
    }
    let labels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if labels.count == 1 {
      return NameRules.isLabel(text) ? nil : NameRules.labelProblem(text)
    }
    for label in labels where !NameRules.isLabel(label) {
      return "the part \(label.shown) between dots is invalid: \(NameRules.labelProblem(label))"
    }
    return nil
  }

  mutating func address(_ text: String, _ value: ParsedJSON, _ path: String) -> NodeAddress? {
    guard let address = NodeAddress.parse(text) else {
      error(
        "invalid address \(text.shown) in '\(path)'; expected an IPv4 address such as "
          + "192.168.1.10 or an IPv6 address",
        at: value.offset
      )
      return nil
    }
    guard !address.isUnspecified else {
      error(
        "invalid address \(text.shown) in '\(path)': the unspecified address is no node's address",
        at: value.offset
      )
      return nil
    }
    return address
  }

  /// `IP:PORT`, or `[IPv6]:PORT` so that the port cannot be read as part of the address.
  mutating func endpoint(
    _ value: ParsedJSON,
    _ path: String
  ) -> (address: NodeAddress, port: Int)? {
    guard let text = string(value, path) else { return nil }
    let bytes = Array(text.utf8)
    let colons = bytes.filter { $0 == UInt8(ascii: ":") }.count
    let host: String
    let portText: String
    if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")),
      close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: ":")
    {
      host = String(decoding: bytes[1..<close], as: UTF8.self)
      portText = String(decoding: bytes[(close + 2)...], as: UTF8.self)
      guard NodeAddress.parse(host)?.isIPv6 != false else {
        error(
          "invalid datastore address \(text.shown) in '\(path)': brackets are only for IPv6 "
            + "addresses, as in [fd00::1]:19001",
          at: value.offset
        )
        return nil
      }
    } else if colons == 1, let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
      host = String(decoding: bytes[..<colon], as: UTF8.self)
      portText = String(decoding: bytes[(colon + 1)...], as: UTF8.self)
    } else {
      // Without brackets, the last group of an IPv6 address would read as the port.
      let hint = colons > 1 ? "; write an IPv6 address in brackets, as in [fd00::1]:19001" : ""
      error(
        "invalid datastore address \(text.shown) in '\(path)'; expected IP:PORT such as "
          + "192.168.1.10:19001" + hint,
        at: value.offset
      )
      return nil
    }
    guard let address = address(host, value, path) else { return nil }
    let digits = portText.utf8
    guard !digits.isEmpty, digits.count <= 5, digits.first != UInt8(ascii: "0"),
      digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      let port = Int(portText), (1...65535).contains(port)
    else {
      error(
        "invalid port \(portText.shown) in '\(path)'; expected a number from 1 to 65535",
        at: value.offset
      )
      return nil
    }
    return (address, port)
  }

  /// Any text, as a node may not have reported a version yet; but not a version whose
  /// major or minor number is longer than any release's, which would pass for no version.
  mutating func kubeletVersion(_ value: ParsedJSON, _ path: String) -> String? {
    guard let text = string(value, path) else { return nil }
    if case .failure(let problem) = Track.read(kubernetesVersion: text),
      case .numberTooLong = problem
    {
      error(
        "invalid Kubernetes version \(text.shown) in '\(path)'"
          + problem.explanation(example: "\"v1.28.3\""),
        at: value.offset
      )
      return nil
    }
    return text
  }

  mutating func track(_ value: ParsedJSON, _ path: String) -> Track? {
    guard let text = string(value, path) else { return nil }
    switch Track.read(text) {
    case .success(let track): return track
    case .failure(let problem):
      error(
        "invalid MicroK8s track \(text.shown) in '\(path)'\(problem.explanation)",
        at: value.offset
      )
      return nil
    }
  }
}
