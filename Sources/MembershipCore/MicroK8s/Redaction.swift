/// Removes join tokens from text before it reaches a message, a log or a journal.
///
/// A join token is a bearer credential for the whole cluster (DESIGN.md section 5), so
/// anything echoed from a command's output passes through here first. Two shapes are
/// replaced with `Step.tokenPlaceholder`:
/// - a run of 32 or more hex digits: a generated token is 32 lowercase hex digits
///   (contract section 2.3), and `token/check` output starts with one;
/// - a join URL `IP:PORT/TOKEN[/FINGERPRINT]`, whatever the token's characters: a
///   custom token only has to be 32 characters long (contract section 3.2).
/// Over-redaction (a 40-digit commit hash, say) is accepted as the price of never leaking.
public enum Redaction {
  /// Hex runs shorter than this are left alone (fingerprints have 12 digits).
  static let minimumHexRun = 32
  /// The path after `IP:PORT/` is redacted from this many characters: fewer than any
  /// token, so a token cut short by truncated output is still caught.
  static let minimumURLToken = 8

  /// `text` with every token-shaped part, and every occurrence of each of `secrets`,
  /// replaced by `<token>`.
  public static func redact(_ text: String, secrets: [String] = []) -> String {
    var text = text
    for secret in secrets where !secret.isEmpty {
      text = text.replacing(secret, with: Step.tokenPlaceholder)
    }
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    // Input from here up to `index` sits unchanged at the end of `output`.
    var verbatimStart = 0
    while index < bytes.count {
      if let url = joinURL(in: bytes, at: index, notBefore: verbatimStart) {
        output.removeLast(index - url.hostStart)
        output.append(contentsOf: Step.tokenPlaceholder.utf8)
        index = url.end
        verbatimStart = index
        continue
      }
      let run = hexRunLength(in: bytes, at: index)
      if run >= minimumHexRun {
        output.append(contentsOf: Step.tokenPlaceholder.utf8)
        index += run
        verbatimStart = index
        continue
      }
      // Copy a whole hex run at once so that its tail is not tested again as a new run.
      let step = max(1, run)
      output.append(contentsOf: bytes[index..<index + step])
      index += step
    }
    // Only ASCII was replaced, so the bytes are still valid UTF-8.
    return verbatimStart == 0 ? text : String(decoding: output, as: UTF8.self)
  }

  /// Redacted, made safe for a terminal and cut to its last `limit` characters, for
  /// echoing a command's output in a message.
  ///
  /// Control characters other than line breaks and tabs are shown escaped, so remote
  /// output cannot drive the operator's terminal. Redaction comes before cutting, so a
  /// cut can never shorten a token below what `redact` recognises.
  public static func excerpt(_ text: String, secrets: [String] = [], limit: Int = 2000) -> String {
    var redacted = redact(text, secrets: secrets)
    while let last = redacted.last, last.isWhitespace { redacted.removeLast() }
    // Escaping only lengthens text, so the last `limit` characters come from the last
    // `limit` scalars at most.
    let scalars = redacted.unicodeScalars
    let tail = scalars.suffix(limit + 1)
    var result = ""
    for scalar in tail {
      switch scalar {
      case "\n", "\t", " "..."~":
        result.unicodeScalars.append(scalar)
      case "\r":
        continue
      case let other
      where other.properties.generalCategory == .control
        || other.properties.generalCategory == .format:
        result += "\\u{" + String(other.value, radix: 16) + "}"
      default:
        result.unicodeScalars.append(scalar)
      }
    }
    guard result.count > limit || tail.startIndex != scalars.startIndex else { return result }
    return "…" + result.suffix(limit)
  }

  // MARK: - Scanning

  private static func isHex(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
      || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func hexRunLength(in bytes: [UInt8], at start: Int) -> Int {
    var end = start
    while end < bytes.count, isHex(bytes[end]) { end += 1 }
    return end - start
  }

  /// Characters of an IP address (or a hostname) before `:PORT/`.
  private static func isHostByte(_ byte: UInt8) -> Bool {
    isHex(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[")
      || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
  }

  /// Characters a token or fingerprint may hold: anything printable up to a space,
  /// a quote or a bracket that would close the surrounding text.
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    byte > 0x20 && byte < 0x7F && !"'\"`<>(){},;".utf8.contains(byte)
  }

  /// A join URL whose `:PORT/` starts at `start`: where its host begins (at or after
  /// `notBefore`, so only bytes copied verbatim are taken back; possibly no host at all,
  /// when a redacted token stood there) and where it ends.
  private static func joinURL(
    in bytes: [UInt8],
    at start: Int,
    notBefore: Int
  ) -> (hostStart: Int, end: Int)? {
    guard bytes[start] == UInt8(ascii: ":"), start > 0 else { return nil }
    var index = start + 1
    while index < bytes.count, index - start <= 5, isDigit(bytes[index]) { index += 1 }
    guard index > start + 1, index < bytes.count, bytes[index] == UInt8(ascii: "/") else {
      return nil
    }
    index += 1
    let tokenStart = index
    while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
    // The first path segment is the token; `/api/v1` after an apiserver port is not one.
    let firstSegment = bytes[tokenStart..<index].prefix { $0 != UInt8(ascii: "/") }
    guard firstSegment.count >= minimumURLToken else { return nil }
    var hostStart = start
    while hostStart > notBefore, isHostByte(bytes[hostStart - 1]) { hostStart -= 1 }
    return (hostStart, index)
  }
}
