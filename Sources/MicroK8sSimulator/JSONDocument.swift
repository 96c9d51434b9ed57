/// A JSON value written the way the tools the simulator imitates write it: Python's
/// `json.dumps(indent=2)` for `add-node`, kubectl's four-space, sorted-key output.
indirect enum JSONDocument: Sendable, Equatable {
  case string(String)
  case number(Int)
  case bool(Bool)
  case null
  case array([JSONDocument])
  /// Keys in insertion order; rendering may sort them.
  case object([(String, JSONDocument)])

  static func == (lhs: JSONDocument, rhs: JSONDocument) -> Bool {
    lhs.rendered(indent: 0, sortKeys: true) == rhs.rendered(indent: 0, sortKeys: true)
  }

  func rendered(indent: Int, sortKeys: Bool) -> String {
    var text = ""
    write(into: &text, indent: indent, level: 0, sortKeys: sortKeys)
    return text
  }

  private func write(into text: inout String, indent: Int, level: Int, sortKeys: Bool) {
    let pad = String(repeating: " ", count: indent * (level + 1))
    let closingPad = String(repeating: " ", count: indent * level)
    let newline = indent > 0 ? "\n" : ""
    switch self {
    case .string(let value): text += Self.quoted(value)
    case .number(let value): text += String(value)
    case .bool(let value): text += value ? "true" : "false"
    case .null: text += "null"
    case .array(let items):
      guard !items.isEmpty else {
        text += "[]"
        return
      }
      text += "[" + newline
      for (offset, item) in items.enumerated() {
        text += pad
        item.write(into: &text, indent: indent, level: level + 1, sortKeys: sortKeys)
        text += (offset < items.count - 1 ? "," : "") + newline
      }
      text += closingPad + "]"
    case .object(let members):
      guard !members.isEmpty else {
        text += "{}"
        return
      }
      let ordered = sortKeys ? members.sorted { $0.0 < $1.0 } : members
      text += "{" + newline
      for (offset, member) in ordered.enumerated() {
        text += pad + Self.quoted(member.0) + ": "
        member.1.write(into: &text, indent: indent, level: level + 1, sortKeys: sortKeys)
        text += (offset < ordered.count - 1 ? "," : "") + newline
      }
      text += closingPad + "}"
    }
  }

  static func quoted(_ value: String) -> String {
    var text = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\t": text += "\\t"
      case "\r": text += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
    }
    return text + "\""
  }
}
