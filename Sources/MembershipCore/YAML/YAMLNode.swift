/// A node of a loaded `YAMLDocument`, valid only while that document is alive.
struct YAMLNode {
  enum Kind: UInt8 {
    case scalar
    case sequence
    case mapping
  }

  /// What a scalar means under the YAML 1.2 core schema.
  ///
  /// Types are strict: a plain `1.28` is a number, so `version: 1.28` is refused with a
  /// hint to quote it instead of being silently read as `1.28` (or `1.3` for `1.30`).
  enum ScalarKind {
    case string
    case integer
    case float
    case boolean
    case null

    var noun: String {
      switch self {
      case .string: "a string"
      case .integer, .float: "a number"
      case .boolean: "a boolean"
      case .null: "null"
      }
    }
  }

  let record: UnsafeMutablePointer<YAMLDocument.Record>
  let index: Int32
  /// The document that owns the node's bytes and children; it outlives every walk.
  unowned(unsafe) let document: YAMLDocument

  var kind: Kind { record.pointee.kind }

  var position: SourcePosition {
    SourcePosition(line: Int(record.pointee.line) + 1, column: Int(record.pointee.column) + 1)
  }

  var scalarBytes: UnsafeBufferPointer<UInt8> {
    guard record.pointee.kind == .scalar else { return UnsafeBufferPointer(start: nil, count: 0) }
    return Self.slice(document.bytes, record.pointee)
  }

  var string: String { String(decoding: scalarBytes, as: UTF8.self) }

  var isPlain: Bool { record.pointee.isPlain }

  var items: UnsafeBufferPointer<Int32> {
    guard record.pointee.kind == .sequence else { return UnsafeBufferPointer(start: nil, count: 0) }
    return Self.slice(document.items, record.pointee)
  }

  var pairs: UnsafeBufferPointer<YAMLDocument.Pair> {
    guard record.pointee.kind == .mapping else { return UnsafeBufferPointer(start: nil, count: 0) }
    return Self.slice(document.pairs, record.pointee)
  }

  private static func slice<Element>(
    _ buffer: UnsafeMutableBufferPointer<Element>,
    _ record: YAMLDocument.Record
  ) -> UnsafeBufferPointer<Element> {
    guard record.count > 0, let base = buffer.baseAddress else {
      return UnsafeBufferPointer(start: nil, count: 0)
    }
    return UnsafeBufferPointer(start: base + Int(record.start), count: Int(record.count))
  }

  /// The node's tag when it is not the default one for its kind (`!!int`, `!custom`).
  var explicitTag: String? { document.tags.isEmpty ? nil : document.tags[index] }

  /// A noun for error messages: "a mapping", "a list", "a number", ...
  var noun: String {
    switch kind {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .scalar: scalarKind?.noun ?? "a tagged value"
    }
  }

  /// The scalar's type, or nil for a tag mktopo does not understand.
  var scalarKind: ScalarKind? {
    if let tag = explicitTag {
      switch tag {
      case "tag:yaml.org,2002:int": return .integer
      case "tag:yaml.org,2002:float": return .float
      case "tag:yaml.org,2002:bool": return .boolean
      case "tag:yaml.org,2002:null": return .null
      default: return nil
      }
    }
    guard isPlain else { return .string }
    return Self.resolvePlain(scalarBytes)
  }

  /// YAML 1.2 core schema resolution of an untagged plain scalar, on bytes: it runs
  /// for every value in the file.
  static func resolvePlain(_ bytes: UnsafeBufferPointer<UInt8>) -> ScalarKind {
    guard let first = bytes.first else { return .null }
    switch first {
    case UInt8(ascii: "~"):
      return bytes.count == 1 ? .null : .string
    case UInt8(ascii: "n"), UInt8(ascii: "N"):
      return matchesAny(bytes, ["null", "Null", "NULL"]) ? .null : .string
    case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
      return matchesAny(bytes, ["true", "True", "TRUE", "false", "False", "FALSE"])
        ? .boolean : .string
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
      UInt8(ascii: "."):
      if isInteger(bytes) { return .integer }
      if isFloat(bytes) || isSpecialFloat(bytes) { return .float }
      return .string
    default:
      return .string
    }
  }

  private static func matchesAny(
    _ bytes: UnsafeBufferPointer<UInt8>,
    _ words: [StaticString]
  ) -> Bool {
    words.contains { word in
      word.utf8CodeUnitCount == bytes.count
        && UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
          .elementsEqual(bytes)
    }
  }

  /// `.inf`, `-.Inf`, `.NaN` and the other spellings of the core schema.
  private static func isSpecialFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var body = bytes[...]
    if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "+") {
      body = body.dropFirst()
    }
    guard body.count == 4, body.first == UInt8(ascii: ".") else { return false }
    let text = String(decoding: body, as: UTF8.self)
    if [".inf", ".Inf", ".INF"].contains(text) { return true }
    return body.count == bytes.count && [".nan", ".NaN", ".NAN"].contains(text)
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var body = bytes[...]
    if body.count > 2, body.first == UInt8(ascii: "0") {
      let marker = body[body.startIndex + 1]
      let digits = body.dropFirst(2)
      if marker == UInt8(ascii: "o") {
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
      }
      if marker == UInt8(ascii: "x") {
        return digits.allSatisfy { isDigit($0) || (0x61...0x66).contains($0 | 0x20) }
      }
    }
    if body.first == UInt8(ascii: "-") || body.first == UInt8(ascii: "+") {
      body = body.dropFirst()
    }
    return !body.isEmpty && body.allSatisfy(isDigit)
  }

  /// Whether the bytes are a core-schema float.
  ///
  /// Pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
  private static func isFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = bytes.startIndex
    let end = bytes.endIndex
    if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    var mantissaDigits = 0
    while index < end, isDigit(bytes[index]) {
      index += 1
      mantissaDigits += 1
    }
    if index < end, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < end, isDigit(bytes[index]) {
        index += 1
        mantissaDigits += 1
      }
    }
    guard mantissaDigits > 0 else { return false }
    if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
        index += 1
      }
      var exponentDigits = 0
      while index < end, isDigit(bytes[index]) {
        index += 1
        exponentDigits += 1
      }
      guard exponentDigits > 0 else { return false }
    }
    return index == end
  }
}
