/// Typed values: each reader returns nil after reporting why the value is unusable.
extension TopologyDecoder {
  mutating func string(_ node: YAMLNode, _ path: @autoclosure () -> String) -> String? {
    guard node.kind == .scalar, node.scalarKind == .string else {
      typeError(node, expected: "a string", path())
      return nil
    }
    return node.string
  }

  mutating func nonEmptyString(_ node: YAMLNode, _ path: @autoclosure () -> String) -> String? {
    guard let value = string(node, path()) else { return nil }
    guard !value.isEmpty else {
      error("'\(path())' must not be empty", at: node.position)
      return nil
    }
    return value
  }

  mutating func boolean(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Bool? {
    guard node.kind == .scalar, node.scalarKind == .boolean else {
      var hint = ""
      if node.kind == .scalar,
        ["yes", "no", "on", "off", "y", "n"].contains(node.string.lowercased())
      {
        hint = "; write true or false"
      } else if node.kind == .scalar, !node.isPlain, ["true", "false"].contains(node.string) {
        hint = "; remove the quotes"
      }
      typeError(node, expected: "true or false", path(), hint: hint)
      return nil
    }
    return node.scalarBytes.first.map { $0 | 0x20 == UInt8(ascii: "t") }
  }

  mutating func integer(
    _ node: YAMLNode,
    _ path: @autoclosure () -> String,
    in range: ClosedRange<Int>
  ) -> Int? {
    guard node.kind == .scalar, node.scalarKind == .integer else {
      // Digits, not `Int(…) != nil`: a quoted number too large for an Int is still a number.
      let quoted =
        node.kind == .scalar && !node.isPlain && !node.string.isEmpty
        && node.string.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
      typeError(node, expected: "an integer", path(), hint: quoted ? "; remove the quotes" : "")
      return nil
    }
    let text = node.string
    let value: Int?
    if text.hasPrefix("0x") {
      value = Int(text.dropFirst(2), radix: 16)
    } else if text.hasPrefix("0o") {
      value = Int(text.dropFirst(2), radix: 8)
    } else {
      value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }
    // `Int(…)` is nil, not a trap, for a number beyond Int: it is out of range like any other.
    guard let value, range.contains(value) else {
      // A number of thousands of digits is shown by its start, as any long value is.
      let shown = text.count > 40 ? text.prefix(40) + "…" : text
      error(
        "'\(path())' must be between \(range.lowerBound) and \(range.upperBound), found \(shown)",
        at: node.position
      )
      return nil
    }
    return value
  }

  /// A string that must be one of an enum's raw values.
  mutating func choice<Value: RawRepresentable & CaseIterable>(
    _ node: YAMLNode,
    _ path: @autoclosure () -> String,
    as type: Value.Type,
    aliases: [String: Value] = [:]
  ) -> Value? where Value.RawValue == String {
    guard let text = string(node, path()) else { return nil }
    if let value = Value(rawValue: text) { return value }
    let allowed = Value.allCases.map(\.rawValue)
    var message =
      "'\(path())' must be one of " + allowed.map { "'\($0)'" }.joined(separator: ", ")
      + ", found \(text.shown)"
    if let alias = aliases[text.lowercased()] {
      message += "; did you mean '\(alias.rawValue)'?"
    } else {
      message += Spelling.hint(for: text, among: allowed)
    }
    error(message, at: node.position)
    return nil
  }

  mutating func label(_ node: YAMLNode, _ path: @autoclosure () -> String, what: String) -> String?
  {
    guard let text = string(node, path()) else { return nil }
    guard NameRules.isLabel(text) else {
      error("invalid \(what) \(text.shown): \(NameRules.labelProblem(text))", at: node.position)
      return nil
    }
    return text
  }

  mutating func track(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Track? {
    guard let text = string(node, path()) else { return nil }
    switch Track.read(text) {
    case .success(let track): return track
    case .failure(let problem):
      error(
        "invalid MicroK8s version \(text.shown) in '\(path())'\(problem.explanation)",
        at: node.position
      )
      return nil
    }
  }

  mutating func duration(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Duration? {
    // A bare number has no unit: quoting it (the hint for other strings) would not do.
    if node.kind == .scalar, node.isPlain,
      node.scalarKind == .integer || node.scalarKind == .float
    {
      let number = String(node.string.prefix(20))
      typeError(
        node,
        expected: "a duration with its unit",
        path(),
        hint: "; write \"\(number)s\" or \"\(number)m\" (units s, m, h)"
      )
      return nil
    }
    guard let text = string(node, path()) else { return nil }
    switch TopologyDuration.parse(text) {
    case .success(let duration): return duration
    case .failure(let problem):
      let reason: String
      switch problem {
      case .malformed:
        reason = "expected a duration such as 90s, 5m, 1h or 1h30m (units s, m, h)"
      case .zero: reason = "a duration must be longer than zero"
      case .tooLong: reason = "a duration may be at most 7 days (168h)"
      }
      error("invalid duration \(text.shown) in '\(path())': \(reason)", at: node.position)
      return nil
    }
  }

  /// A non-empty list of non-empty strings, with only known placeholders.
  mutating func argv(_ node: YAMLNode, _ path: @autoclosure () -> String) -> [String]? {
    guard node.kind == .sequence else {
      let hint =
        node.kind == .scalar && node.scalarKind == .string
        ? "; write each argument as a list item, e.g. [\"sudo\", \"microk8s\"]" : ""
      typeError(node, expected: "a list of strings", path(), hint: hint)
      return nil
    }
    guard !node.items.isEmpty else {
      error("'\(path())' must list at least one argument", at: node.position)
      return nil
    }
    var result: [String] = []
    var valid = true
    for item in node.items {
      guard let itemNode = document.node(item) else { continue }
      guard let text = nonEmptyString(itemNode, path() + " item") else {
        valid = false
        continue
      }
      for placeholder in NameRules.unknownPlaceholders(in: text) {
        error(
          "unknown placeholder '{\(placeholder)}' in '\(path())'; the placeholders are "
            + "{name} and {address}",
          at: itemNode.position
        )
        valid = false
      }
      result.append(text)
    }
    return valid ? result : nil
  }

  mutating func typeError(
    _ node: YAMLNode,
    expected: String,
    _ path: String,
    hint: String = ""
  ) {
    var hint = hint
    if hint.isEmpty, expected == "a string", node.kind == .scalar, node.isPlain,
      node.scalarKind != .null
    {
      hint = "; quote it: \"\(node.string)\""
    }
    if node.kind == .scalar, node.scalarKind == nil, let tag = node.explicitTag {
      error("'\(path)' has the unsupported tag '\(tag)'; remove the tag", at: node.position)
      return
    }
    error("'\(path)' must be \(expected), found \(node.noun)\(hint)", at: node.position)
  }
}
