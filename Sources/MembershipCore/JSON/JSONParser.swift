/// Strict RFC 8259: no comments, trailing commas, single quotes, leading zeros, lone
/// surrogates, raw control characters, or anything after the value.
public struct JSONParser {
  /// Snapshots nest three levels; the limit keeps hostile input off the call stack.
  public static let maxDepth = 64

  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0

  private init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// Parses text; a String is valid UTF-8 by construction.
  public static func parse(_ text: String) throws(JSONParseError) -> ParsedJSON {
    var text = text
    let result = text.withUTF8 { bytes in
      Result { () throws(JSONParseError) in try parse(bytes) }
    }
    return try result.get()
  }

  /// Parses bytes that the caller has already checked are valid UTF-8.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> ParsedJSON
  {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    guard parser.index < bytes.count else {
      throw JSONParseError(offset: 0, message: "the text is empty; expected a JSON value")
    }
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.index == bytes.count else {
      throw parser.error("expected the end of the file after the top-level value, found")
    }
    return value
  }

  private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      index += 1
    }
  }

  /// `expected` followed by what is at the current offset.
  private func error(_ expected: String) -> JSONParseError {
    JSONParseError(offset: index, message: expected + " " + found)
  }

  /// The character at the current offset, quoted, or "the end of the file".
  private var found: String {
    guard index < bytes.count else { return "the end of the file" }
    // The file is valid UTF-8 (checked before parsing), so this decodes one scalar.
    var end = index + 1
    while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
    guard let scalar = text.unicodeScalars.first else { return "a byte" }
    return "'" + NameRules.printable(scalar) + "'"
  }

  private mutating func value(depth: Int) throws(JSONParseError) -> ParsedJSON {
    let start = index
    guard let byte = current else {
      throw error("expected a value, found")
    }
    switch byte {
    case UInt8(ascii: "{"):
      return ParsedJSON(kind: .object(try object(depth: depth + 1)), offset: start)
    case UInt8(ascii: "["):
      return ParsedJSON(kind: .array(try array(depth: depth + 1)), offset: start)
    case UInt8(ascii: "\""):
      return ParsedJSON(kind: .string(try string()), offset: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return ParsedJSON(kind: .number(try number()), offset: start)
    case UInt8(ascii: "t") where literal("true"):
      return ParsedJSON(kind: .bool(true), offset: start)
    case UInt8(ascii: "f") where literal("false"):
      return ParsedJSON(kind: .bool(false), offset: start)
    case UInt8(ascii: "n") where literal("null"):
      return ParsedJSON(kind: .null, offset: start)
    case UInt8(ascii: "'"):
      throw error("JSON strings are written in double quotes, found")
    default:
      throw error("expected a value (object, array, string, number, true, false or null), found")
    }
  }

  /// Consumes `word` when the input continues with it and not with more letters.
  private mutating func literal(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      return false
    }
    if index + count < bytes.count, isLetter(bytes[index + count]) { return false }
    index += count
    return true
  }

  private func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  private func checkDepth(_ depth: Int) throws(JSONParseError) {
    guard depth <= Self.maxDepth else {
      throw JSONParseError(
        offset: index,
        message: "values are nested more than \(Self.maxDepth) levels deep"
      )
    }
  }

  private mutating func object(depth: Int) throws(JSONParseError) -> [ParsedJSONMember] {
    try checkDepth(depth)
    index += 1
    var members: [ParsedJSONMember] = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      index += 1
      return members
    }
    while true {
      guard current == UInt8(ascii: "\"") else {
        throw error("expected a key in double quotes, found")
      }
      let keyOffset = index
      let key = try string()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key, found") }
      index += 1
      skipWhitespace()
      members.append(
        ParsedJSONMember(key: key, keyOffset: keyOffset, value: try value(depth: depth))
      )
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        index += 1
        return members
      }
      guard current == UInt8(ascii: ",") else {
        throw error("expected ',' or '}' after an object member, found")
      }
      let comma = index
      index += 1
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        throw JSONParseError(offset: comma, message: "a trailing comma before '}' is not allowed")
      }
    }
  }

  private mutating func array(depth: Int) throws(JSONParseError) -> [ParsedJSON] {
    try checkDepth(depth)
    index += 1
    var elements: [ParsedJSON] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      index += 1
      return elements
    }
    while true {
      elements.append(try value(depth: depth))
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        index += 1
        return elements
      }
      guard current == UInt8(ascii: ",") else {
        throw error("expected ',' or ']' after an array element, found")
      }
      let comma = index
      index += 1
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        throw JSONParseError(offset: comma, message: "a trailing comma before ']' is not allowed")
      }
    }
  }

  private mutating func string() throws(JSONParseError) -> String {
    let open = index
    index += 1
    let start = index
    // Fast path: nearly every string has no escapes and can be decoded in one piece.
    while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
      index += 1
    }
    var scalars = String.UnicodeScalarView()
    var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    while true {
      guard let byte = current else {
        throw JSONParseError(offset: open, message: "this string is never closed with '\"'")
      }
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        text.unicodeScalars.append(contentsOf: scalars)
        return text
      case UInt8(ascii: "\\"):
        scalars.append(try escape())
      case 0x0A, 0x0D:
        throw JSONParseError(
          offset: open,
          message: "this string is not closed before the line ends"
        )
      case ..<0x20:
        throw error("a control character must be escaped in a string, found")
      default:
        // Copy one scalar's bytes; the file is valid UTF-8.
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let piece = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]),
          as: UTF8.self
        )
        scalars.append(contentsOf: piece.unicodeScalars)
        index = end
      }
    }
  }

  /// One escape sequence, the index at its backslash; `\u` pairs are joined.
  private mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
    let start = index
    index += 1
    guard let letter = current else { throw error("expected an escape after '\\', found") }
    index += 1
    switch letter {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      let first = try hex4(escapeStart: start)
      if (0xDC00...0xDFFF).contains(first) {
        throw JSONParseError(offset: start, message: "a low surrogate escape has no high surrogate")
      }
      guard (0xD800...0xDBFF).contains(first) else {
        // Not a surrogate, so a valid scalar.
        return Unicode.Scalar(first) ?? "\u{FFFD}"
      }
      guard current == UInt8(ascii: "\\"), index + 1 < bytes.count,
        bytes[index + 1] == UInt8(ascii: "u")
      else {
        throw JSONParseError(offset: start, message: "a high surrogate escape has no low surrogate")
      }
      let secondStart = index
      index += 2
      let second = try hex4(escapeStart: secondStart)
      guard (0xDC00...0xDFFF).contains(second) else {
        throw JSONParseError(offset: start, message: "a high surrogate escape has no low surrogate")
      }
      let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
      return Unicode.Scalar(value) ?? "\u{FFFD}"
    default:
      index -= 1
      throw JSONParseError(
        offset: start,
        message: "invalid escape '\\\(found.dropFirst().dropLast())'; JSON has \\\" \\\\ \\/ "
          + "\\b \\f \\n \\r \\t and \\uXXXX"
      )
    }
  }

  private mutating func hex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = current, let digit = hexDigit(byte) else {
        throw JSONParseError(offset: escapeStart, message: "a \\u escape needs four hex digits")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  private func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
  private mutating func number() throws(JSONParseError) -> String {
    let start = index
    if current == UInt8(ascii: "-") { index += 1 }
    guard let first = current, isDigit(first) else {
      throw error("expected a digit after '-', found")
    }
    index += 1
    if first == UInt8(ascii: "0"), let next = current, isDigit(next) {
      throw JSONParseError(offset: start, message: "numbers must not have leading zeros")
    }
    skipDigits()
    if current == UInt8(ascii: ".") {
      index += 1
      guard let digit = current, isDigit(digit) else {
        throw error("expected a digit after '.', found")
      }
      skipDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard let digit = current, isDigit(digit) else {
        throw error("expected a digit in the exponent, found")
      }
      skipDigits()
    }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipDigits() {
    while let byte = current, isDigit(byte) { index += 1 }
  }
}
