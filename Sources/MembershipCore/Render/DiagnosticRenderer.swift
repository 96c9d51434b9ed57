/// Renders diagnostics the way compilers do, so editors and CI annotators link them.
///
/// ```
/// topology.yaml:7:5: error: unknown key 'adress' in a node; did you mean 'address'?
///     7 |     adress: 192.168.1.10
///       |     ^
/// ```
public struct DiagnosticRenderer: Sendable {
  /// ANSI colour; the caller decides (only on a TTY, never with NO_COLOR).
  public var colored: Bool

  public init(colored: Bool) {
    self.colored = colored
  }

  /// Renders every diagnostic with its source line; `sources` maps file names to their
  /// bytes (a file missing from it is rendered without source lines).
  public func render(_ diagnostics: [Diagnostic], sources: [String: [UInt8]]) -> String {
    var lines: [String: SourceLines] = [:]
    var output = ""
    for diagnostic in diagnostics {
      render(diagnostic, sources: sources, cache: &lines, into: &output)
      for note in diagnostic.notes {
        render(note, sources: sources, cache: &lines, into: &output)
      }
    }
    return output
  }

  private func render(
    _ diagnostic: Diagnostic,
    sources: [String: [UInt8]],
    cache: inout [String: SourceLines],
    into output: inout String
  ) {
    var header = ""
    if let file = diagnostic.file {
      header += file + ":"
      if let position = diagnostic.position { header += "\(position.line):\(position.column):" }
      header += " "
    }
    output +=
      paint(header, .bold) + label(diagnostic.severity) + " "
      + paint(diagnostic.message, .bold) + "\n"
    guard let file = diagnostic.file, let position = diagnostic.position,
      let bytes = sources[file]
    else { return }
    if cache[file] == nil { cache[file] = SourceLines(bytes) }
    guard let line = cache[file]?.line(position.line, in: bytes) else { return }
    let (shown, column) = Self.excerpt(line, column: position.column)
    let gutter = String(position.line)
    let pad = String(repeating: " ", count: gutter.count)
    output += " \(gutter) | \(shown)\n"
    output += " \(pad) | \(caretPrefix(shown, column: column))" + paint("^", .green) + "\n"
  }

  /// Lines longer than this are cut to a window around the column.
  static let maxLineWidth = 160

  /// The part of a long line around `column`, marked with "…", and the column in it.
  static func excerpt(_ line: String, column: Int) -> (String, Int) {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count > maxLineWidth else { return (line, column) }
    let start = max(0, min(column - 1 - maxLineWidth / 2, scalars.count - maxLineWidth))
    let end = min(scalars.count, start + maxLineWidth)
    var text = start > 0 ? "…" : ""
    text.unicodeScalars.append(contentsOf: scalars[start..<end])
    if end < scalars.count { text += "…" }
    return (text, column - start + (start > 0 ? 1 : 0))
  }

  /// Spaces up to the column, keeping tabs so the caret lines up under the character.
  private func caretPrefix(_ line: String, column: Int) -> String {
    var prefix = ""
    for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
      prefix.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
    }
    let shortfall = column - 1 - line.unicodeScalars.count
    if shortfall > 0 { prefix += String(repeating: " ", count: shortfall) }
    return prefix
  }

  private func label(_ severity: Diagnostic.Severity) -> String {
    switch severity {
    case .error: paint("error:", .red)
    case .warning: paint("warning:", .magenta)
    case .note: paint("note:", .cyan)
    }
  }

  private enum Style: String {
    case bold = "1"
    case red = "1;31"
    case magenta = "1;35"
    case cyan = "1;36"
    case green = "1;32"
  }

  private func paint(_ text: String, _ style: Style) -> String {
    guard colored, !text.isEmpty else { return text }
    return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
  }
}

/// Line start offsets of a file, computed once per file being rendered.
private struct SourceLines {
  var starts: [Int] = [0]

  init(_ bytes: [UInt8]) {
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
  }

  func line(_ number: Int, in bytes: [UInt8]) -> String? {
    guard number >= 1, number <= starts.count else { return nil }
    let start = starts[number - 1]
    var end = number < starts.count ? starts[number] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    guard start <= end else { return nil }
    // Only the start of a huge line can be shown anyway (see `excerpt`); cap the decoding.
    end = min(end, start + 64 * 1024)
    // Control characters other than tab would garble the terminal; show them as U+FFFD.
    let text = String(decoding: bytes[start..<end], as: UTF8.self)
    return String(
      String.UnicodeScalarView(
        text.unicodeScalars.map {
          $0 != "\t" && $0.properties.generalCategory == .control ? "\u{FFFD}" : $0
        }
      )
    )
  }
}
