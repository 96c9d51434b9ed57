/// A JSON document built in code and printed with a fixed key order and layout.
///
/// Machine-readable outputs (plans, diagnostics, snapshots) must be byte-identical for
/// the same value, so keys keep the order they are written in, and the core needs no
/// Foundation for it.
public indirect enum JSONValue: Sendable, Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.rendered() == rhs.rendered()
  }

  /// Pretty-printed with two-space indents, ending in a newline.
  public func rendered() -> String {
    var output = ""
    write(into: &output, indent: "")
    return output + "\n"
  }

  /// On one line without spaces, ending in a newline: one record of a JSON Lines stream.
  public func line() -> String {
    var output = ""
    writeCompact(into: &output)
    return output + "\n"
  }

  private func writeCompact(into output: inout String) {
    switch self {
    case .array(let items):
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        item.writeCompact(into: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { output += "," }
        output += DiagnosticJSON.quote(key) + ":"
        value.writeCompact(into: &output)
      }
      output += "}"
    default:
      write(into: &output, indent: "")
    }
  }

  private func write(into output: inout String, indent: String) {
    switch self {
    case .string(let text): output += DiagnosticJSON.quote(text)
    case .integer(let value): output += String(value)
    case .boolean(let value): output += value ? "true" : "false"
    case .null: output += "null"
    case .array(let items):
      guard !items.isEmpty else {
        output += "[]"
        return
      }
      output += "[\n"
      for (index, item) in items.enumerated() {
        output += indent + "  "
        item.write(into: &output, indent: indent + "  ")
        output += index == items.count - 1 ? "\n" : ",\n"
      }
      output += indent + "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{\n"
      for (index, (key, value)) in members.enumerated() {
        output += indent + "  " + DiagnosticJSON.quote(key) + ": "
        value.write(into: &output, indent: indent + "  ")
        output += index == members.count - 1 ? "\n" : ",\n"
      }
      output += indent + "}"
    }
  }
}
