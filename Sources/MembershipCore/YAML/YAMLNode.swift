import CLibYAML

/// A node of a loaded `YAMLDocument`, valid only while that document is alive.
struct YAMLNode {
  enum Kind {
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

  let pointer: UnsafeMutablePointer<yaml_node_t>
  let index: Int32
  /// False when the source has no `!`, so no node can carry an explicit tag and the
  /// tag strings (one allocation per node, a cache miss each) need not be read.
  var tagsPossible = true

  var kind: Kind {
    switch pointer.pointee.type {
    case YAML_SEQUENCE_NODE: .sequence
    case YAML_MAPPING_NODE: .mapping
    default: .scalar
    }
  }

  var position: SourcePosition {
    let mark = pointer.pointee.start_mark
    return SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  var scalarBytes: UnsafeBufferPointer<UInt8> {
    let scalar = pointer.pointee.data.scalar
    return UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
  }

  var string: String { String(decoding: scalarBytes, as: UTF8.self) }

  var isPlain: Bool { pointer.pointee.data.scalar.style == YAML_PLAIN_SCALAR_STYLE }

  var items: UnsafeBufferPointer<yaml_node_item_t> {
    let items = pointer.pointee.data.sequence.items
    return UnsafeBufferPointer(start: items.start, count: items.top - items.start)
  }

  var pairs: UnsafeBufferPointer<yaml_node_pair_t> {
    let pairs = pointer.pointee.data.mapping.pairs
    return UnsafeBufferPointer(start: pairs.start, count: pairs.top - pairs.start)
  }

  /// The node's tag when it is not the default one for its kind (`!!int`, `!custom`).
  var explicitTag: String? {
    guard tagsPossible, let tag = pointer.pointee.tag, !Self.isDefaultTag(tag) else { return nil }
    return String(cString: tag)
  }

  /// Whether a tag is `tag:yaml.org,2002:str`, `:seq` or `:map`, which libyaml gives
  /// every untagged node; runs for every scalar, hence strcmp.
  private static func isDefaultTag(_ tag: UnsafePointer<UInt8>) -> Bool {
    tag.withMemoryRebound(to: CChar.self, capacity: 1) { text in
      strcmp(text, "tag:yaml.org,2002:str") == 0 || strcmp(text, "tag:yaml.org,2002:seq") == 0
        || strcmp(text, "tag:yaml.org,2002:map") == 0
    }
  }

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
