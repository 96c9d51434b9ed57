/// Strict mappings: string keys, no duplicates, no unknown keys, YAML merge keys.
extension TopologyDecoder {
  struct Entry {
    var key: String
    var keyPosition: SourcePosition
    var value: YAMLNode
  }

  /// Merges nested deeper than this are refused; a topology needs one level.
  static let maxMergeDepth = 16

  /// The known entries of a mapping, own keys first, then keys merged in with `<<`.
  ///
  /// Reports duplicate keys (with a note at the first one), unknown keys (with a
  /// suggestion) and keys that are not strings; those entries are left out.
  mutating func entries(
    of mapping: YAMLNode,
    allowed: KeySet,
    in context: @autoclosure () -> String,
    depth: Int = 0
  ) -> [Entry] {
    var own: [Entry] = []
    entries(of: mapping, allowed: allowed, in: context(), depth: depth, into: &own)
    return own
  }

  /// As `entries(of:allowed:in:depth:)`, into a buffer the caller reuses: decoding
  /// thousands of nodes then allocates one array, not one per node.
  mutating func entries(
    of mapping: YAMLNode,
    allowed: KeySet,
    in context: @autoclosure () -> String,
    depth: Int = 0,
    into own: inout [Entry]
  ) {
    if depth == 0 { suggestedKeys = [] }
    own.removeAll(keepingCapacity: true)
    var merges: [YAMLNode] = []
    var seen: UInt64 = 0
    for pair in mapping.pairs {
      guard let keyNode = document.node(pair.key), let value = document.node(pair.value) else {
        continue
      }
      guard keyNode.kind == .scalar else {
        error("keys must be strings, found \(keyNode.noun)", at: keyNode.position)
        continue
      }
      let keyBytes = keyNode.scalarBytes
      if keyBytes.count == 2, keyBytes[0] == UInt8(ascii: "<"), keyBytes[1] == UInt8(ascii: "<"),
        keyNode.isPlain
      {
        merges.append(value)
        continue
      }
      guard keyNode.scalarKind == .string else {
        error(
          "keys must be strings, found \(keyNode.noun) \(keyNode.string.shown)",
          at: keyNode.position
        )
        continue
      }
      // Matched on bytes: the key's String is the allowed one, so no String is made per key.
      guard let keyIndex = allowed.match(keyBytes) else {
        reportUnknownKey(keyNode.string, at: keyNode.position, allowed: allowed, context: context())
        continue
      }
      let key = allowed.names[keyIndex]
      if seen & (1 << keyIndex) != 0, let first = own.first(where: { $0.key == key }) {
        error(
          "duplicate key \(key.shown) in \(context())",
          at: keyNode.position,
          notes: [.note("first declared here", file: file, at: first.keyPosition)]
        )
        continue
      }
      seen |= 1 << keyIndex
      own.append(Entry(key: key, keyPosition: keyNode.position, value: value))
    }
    for source in merges {
      for merged in mergedEntries(source, allowed: allowed, in: context(), depth: depth)
      where !own.contains(where: { $0.key == merged.key }) {
        own.append(merged)
      }
    }
  }

  private mutating func reportUnknownKey(
    _ key: String,
    at position: SourcePosition,
    allowed: KeySet,
    context: String
  ) {
    var message = "unknown key \(key.shown) in \(context)"
    if let suggestion = Spelling.suggestion(for: key, among: allowed.names) {
      suggestedKeys.insert(suggestion)
      message += "; did you mean '\(suggestion)'?"
    } else {
      message += "; expected one of " + allowed.names.map { "'\($0)'" }.joined(separator: ", ")
    }
    error(message, at: position)
  }

  /// The entries a `<<` value contributes: one mapping, or a list of them where earlier
  /// mappings win (YAML merge key semantics).
  private mutating func mergedEntries(
    _ source: YAMLNode,
    allowed: KeySet,
    in context: String,
    depth: Int
  ) -> [Entry] {
    guard depth < Self.maxMergeDepth else {
      error("merge keys ('<<') are nested too deeply", at: source.position)
      return []
    }
    switch source.kind {
    case .mapping:
      return entries(of: source, allowed: allowed, in: context, depth: depth + 1)
    case .sequence:
      var result: [Entry] = []
      for item in source.items {
        guard let mapping = document.node(item) else { continue }
        guard mapping.kind == .mapping else {
          error("a merge key ('<<') takes mappings, found \(mapping.noun)", at: mapping.position)
          continue
        }
        for entry in entries(of: mapping, allowed: allowed, in: context, depth: depth + 1)
        where !result.contains(where: { $0.key == entry.key }) {
          result.append(entry)
        }
      }
      return result
    case .scalar:
      error(
        "a merge key ('<<') takes a mapping or a list of mappings, found \(source.noun)",
        at: source.position
      )
      return []
    }
  }

  mutating func expectMapping(_ node: YAMLNode, _ path: String) -> Bool {
    guard node.kind == .mapping else {
      error("'\(path)' must be a mapping, found \(node.noun)", at: node.position)
      return false
    }
    return true
  }

  mutating func error(_ message: String, at position: SourcePosition, notes: [Diagnostic] = []) {
    diagnostics.append(.error(message, file: file, at: position, notes: notes))
  }

  mutating func warning(_ message: String, at position: SourcePosition) {
    diagnostics.append(.warning(message, file: file, at: position))
  }
}
