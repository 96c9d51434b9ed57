import MembershipCore

/// Command output made safe to quote in a message.
enum OutputExcerpt {
  static let marker = "<redacted>"

  /// `text` with the invocation's explicit secrets replaced, then anything token-shaped
  /// (`MembershipCore.Redaction`), so a token is caught even if a caller forgot to list it.
  static func redact(_ text: String, _ secrets: [String]) -> String {
    var text = text
    for secret in secrets where !secret.isEmpty {
      text = text.replacing(secret, with: marker)
    }
    return Redaction.redact(text)
  }

  /// The last few non-empty lines of `output`, redacted and terminal-safe: programs print
  /// the reason they failed at the end.
  static func tail(_ output: String, secrets: [String], lines: Int = 5) -> String {
    let kept = redact(output, secrets).split(whereSeparator: \.isNewline)
      .filter { !$0.allSatisfy(\.isWhitespace) }
      .suffix(lines)
      .joined(separator: "\n")
    return Redaction.excerpt(kept, limit: 600)
  }
}
