/// A parsed JSON value and the byte offset it starts at, for positioned diagnostics.
///
/// The core has no Foundation, and JSONSerialization would neither give positions nor
/// report duplicate keys, hence this small strict RFC 8259 parser.
public struct ParsedJSON: Sendable {
  public enum Kind: Sendable {
    case null
    case bool(Bool)
    /// The number as written; snapshots hold only `formatVersion`, compared as text.
    case number(String)
    case string(String)
    case array([ParsedJSON])
    /// Members in file order, duplicates kept so the decoder can report them.
    case object([ParsedJSONMember])
  }

  public var kind: Kind
  /// Byte offset of the value's first character in the parsed text.
  public var offset: Int

  /// A noun for error messages: "a string", "an object", ...
  public var noun: String {
    switch kind {
    case .null: "null"
    case .bool(let value): value ? "true" : "false"
    case .number(let text): "the number \(text)"
    case .string(let text): "the string \(text.shown)"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

public struct ParsedJSONMember: Sendable {
  public var key: String
  public var keyOffset: Int
  public var value: ParsedJSON
}

/// Why a file is not JSON, at the byte offset where that became clear.
public struct JSONParseError: Error, Sendable {
  public var offset: Int
  public var message: String
}

extension ParsedJSON {
  /// The members of an object, or nil for any other kind.
  public var members: [ParsedJSONMember]? {
    if case .object(let members) = kind { return members }
    return nil
  }

  /// The elements of an array, or nil for any other kind.
  public var elements: [ParsedJSON]? {
    if case .array(let elements) = kind { return elements }
    return nil
  }

  /// The text of a string, or nil for any other kind.
  public var string: String? {
    if case .string(let text) = kind { return text }
    return nil
  }

  /// The value of a boolean, or nil for any other kind.
  public var bool: Bool? {
    if case .bool(let value) = kind { return value }
    return nil
  }

  /// The first member named `key` of an object; nil when absent or not an object.
  public subscript(key: String) -> ParsedJSON? {
    members?.first { $0.key == key }?.value
  }
}
