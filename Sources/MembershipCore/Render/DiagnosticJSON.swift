/// The `--output json` form of diagnostics: a stable, documented shape for tools.
///
/// ```json
/// {"formatVersion": 1, "valid": false, "errorCount": 1, "warningCount": 0,
///  "diagnostics": [{"severity": "error", "message": "...", "file": "t.yaml",
///                   "line": 7, "column": 5, "notes": []}]}
/// ```
/// Written by hand rather than with JSONEncoder so that key order and escaping are
/// fixed and the core needs no Foundation.
public enum DiagnosticJSON {
  public static func render(_ diagnostics: [Diagnostic]) -> String {
    var output = "{\n"
    output += "  \"formatVersion\": 1,\n"
    output += "  \"valid\": \(!diagnostics.containsErrors),\n"
    output += "  \"errorCount\": \(diagnostics.errorCount),\n"
    output += "  \"warningCount\": \(diagnostics.warningCount),\n"
    output += "  \"diagnostics\": ["
    output += diagnostics.map { "\n    " + object($0, indent: "    ") }.joined(separator: ",")
    output += diagnostics.isEmpty ? "]\n" : "\n  ]\n"
    output += "}\n"
    return output
  }

  private static func object(_ diagnostic: Diagnostic, indent: String) -> String {
    var fields = [
      "\"severity\": \(quote(diagnostic.severity.rawValue))",
      "\"message\": \(quote(diagnostic.message))",
      "\"file\": \(diagnostic.file.map(quote) ?? "null")",
      "\"line\": \(diagnostic.position.map { String($0.line) } ?? "null")",
      "\"column\": \(diagnostic.position.map { String($0.column) } ?? "null")",
    ]
    let inner = indent + "  "
    let notes = diagnostic.notes.map { "\n" + inner + "  " + object($0, indent: inner + "  ") }
    fields.append(
      "\"notes\": [" + notes.joined(separator: ",") + (notes.isEmpty ? "]" : "\n" + inner + "]")
    )
    return "{\n" + fields.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
  }

  /// A JSON string literal (RFC 8259 escaping).
  public static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
