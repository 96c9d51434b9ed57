/// Rules for the names and tokens a topology file may contain.
///
/// Everything accepted here is safe to pass as one argv element and to show in a
/// terminal; the transports still quote every argument.
enum NameRules {
  static let maxLabelLength = 63

  /// Lowercase RFC 1123 label: `[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most 63 characters.
  static func isLabel(_ text: String) -> Bool {
    let utf8 = text.utf8
    guard (1...maxLabelLength).contains(utf8.count),
      let first = utf8.first, let last = utf8.last,
      isLowerAlphanumeric(first), isLowerAlphanumeric(last)
    else { return false }
    return utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
  }

  /// Why a string is not a label, in words a person can act on.
  static func labelProblem(_ text: String) -> String {
    if text.isEmpty { return "it is empty" }
    if text.utf8.count > maxLabelLength {
      return "it is \(text.utf8.count) characters long; the limit is \(maxLabelLength)"
    }
    let lowered = text.lowercased()
    if lowered != text, isLabel(lowered) {
      return "it must be lowercase; did you mean '\(lowered)'?"
    }
    if text.hasPrefix("-") || text.hasSuffix("-") {
      return "it must start and end with a letter or digit"
    }
    if let bad = text.unicodeScalars.first(where: {
      !($0.isASCII && (isLowerAlphanumeric(UInt8($0.value)) || $0 == "-"))
    }) {
      return "it contains '\(printable(bad))'; only lowercase letters, digits and '-' are allowed"
    }
    return "it is not a lowercase RFC 1123 label"
  }

  /// A login name: `[A-Za-z_][A-Za-z0-9_.-]{0,31}`.
  static func isUser(_ text: String) -> Bool {
    let utf8 = text.utf8
    guard (1...32).contains(utf8.count), let first = utf8.first,
      isLetter(first) || first == UInt8(ascii: "_")
    else { return false }
    return utf8.allSatisfy { isLetter($0) || isDigit($0) || "_.-".utf8.contains($0) }
  }

  /// `[user@]host[:port]`, comma-separated, never starting with `-` (ssh would read an
  /// option there).
  static func isProxyJump(_ text: String) -> Bool {
    guard !text.isEmpty, !text.hasPrefix("-") else { return false }
    let hops = text.split(separator: ",", omittingEmptySubsequences: false)
    return hops.allSatisfy { hop in
      !hop.isEmpty && !hop.hasPrefix("-")
        && hop.utf8.allSatisfy { isLetter($0) || isDigit($0) || "_.@:[]-".utf8.contains($0) }
    }
  }

  /// Placeholders used in a command template other than `{name}` and `{address}`.
  static func unknownPlaceholders(in text: String) -> [String] {
    var unknown: [String] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      let name = String(after[..<close])
      if name != "name", name != "address" { unknown.append(name) }
      rest = after[after.index(after: close)...]
    }
    return unknown
  }

  /// The character itself, or `U+000A` for one a terminal would not show.
  static func printable(_ scalar: Unicode.Scalar) -> String {
    guard scalar.properties.generalCategory == .control || scalar == " " else {
      return String(scalar)
    }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || isDigit(byte)
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }
}

extension String {
  /// The value in single quotes, control characters escaped, cut at 80 characters, so
  /// a diagnostic stays on one line whatever the file contains.
  var shown: String {
    var result = "'"
    var count = 0
    for scalar in unicodeScalars {
      if count == 80 {
        result += "…"
        break
      }
      switch scalar {
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      case "'": result += "\\'"
      case let c
      where c.properties.generalCategory == .control || c.properties.generalCategory == .format:
        result += "\\u{" + String(c.value, radix: 16) + "}"
      default: result.unicodeScalars.append(scalar)
      }
      count += 1
    }
    return result + "'"
  }
}
