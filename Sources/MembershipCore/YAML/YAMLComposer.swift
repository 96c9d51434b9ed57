import CLibYAML

/// Composes one document from libyaml's events into the flat arrays of a `YAMLDocument`.
///
/// It follows libyaml's own composer (loader.c) step for step, so a document means what
/// `yaml_parser_load` would make of it: nodes are numbered from 1 in the order they start,
/// an anchor is registered when its node starts (so `&a [*a]` refers to itself, which
/// `AliasBudget` then refuses), an alias is another reference to the anchored node, a
/// second anchor of the same name and an alias to no anchor are errors, and the
/// non-specific tag `!` means no tag.
struct YAMLComposer {
  enum Outcome {
    case composed
    /// No document at all: nothing but comments, or nothing.
    case empty
    /// A second document starts at this mark (after it was composed, for its errors).
    case secondDocument(yaml_mark_t)
    /// The document breaks a composing rule; the diagnostic says which.
    case failed(Diagnostic)
    /// libyaml's parser stopped; the parser holds the error.
    case parserFailed
  }

  private let parser: UnsafeMutablePointer<yaml_parser_t>
  private let file: String

  private(set) var records: [YAMLDocument.Record] = []
  private(set) var bytes: [UInt8] = []
  private(set) var items: [Int32] = []
  private(set) var pairs: [YAMLDocument.Pair] = []
  private(set) var tags: [Int32: String] = [:]

  /// Children of the collections still open, innermost last.
  private var pending: [Int32] = []
  /// Each open collection's node and where its children start in `pending`.
  private var open: [(node: Int32, firstChild: Int)] = []
  private var anchors: [String: (node: Int32, mark: yaml_mark_t)] = [:]

  /// The most a document may hold, so node numbers and offsets fit the records' Int32s;
  /// a topology file (4 MiB at most) comes nowhere near.
  private static let capacity = Int(Int32.max) - 1

  init(parser: UnsafeMutablePointer<yaml_parser_t>, file: String, sizeHint: Int) {
    self.parser = parser
    self.file = file
    // A topology spends about eight bytes of source per node and half its bytes on values.
    records.reserveCapacity(sizeHint / 8)
    bytes.reserveCapacity(sizeHint / 2)
  }

  mutating func compose() -> Outcome {
    var event = yaml_event_t()
    // STREAM-START, then DOCUMENT-START or STREAM-END.
    guard yaml_parser_parse(parser, &event) != 0 else { return .parserFailed }
    yaml_event_delete(&event)
    guard yaml_parser_parse(parser, &event) != 0 else { return .parserFailed }
    // (yaml_event_delete zeroes the event, so its type is read first.)
    let type = event.type
    yaml_event_delete(&event)
    if type == YAML_STREAM_END_EVENT { return .empty }
    if let failure = composeBody() { return failure }
    guard yaml_parser_parse(parser, &event) != 0 else { return .parserFailed }
    guard event.type == YAML_DOCUMENT_START_EVENT else {
      yaml_event_delete(&event)
      return .composed
    }
    // Compose the second document too, as yaml_parser_load would: a syntax error in it
    // is reported before the fact that it exists.
    let mark = event.start_mark
    yaml_event_delete(&event)
    var second = YAMLComposer(parser: parser, file: file, sizeHint: 0)
    return second.composeBody() ?? .secondDocument(mark)
  }

  /// Composes the events of a document's body up to and including DOCUMENT-END; nil
  /// when all went well.
  private mutating func composeBody() -> Outcome? {
    var event = yaml_event_t()
    while true {
      guard yaml_parser_parse(parser, &event) != 0 else { return .parserFailed }
      if event.type == YAML_DOCUMENT_END_EVENT {
        yaml_event_delete(&event)
        return nil
      }
      let problem = add(&event)
      yaml_event_delete(&event)
      if let problem { return .failed(problem) }
    }
  }

  /// Composes one event of the document's body; the caller frees it.
  private mutating func add(_ event: inout yaml_event_t) -> Diagnostic? {
    let mark = event.start_mark
    switch event.type {
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      guard bytes.count + scalar.length < Self.capacity else { return tooLarge(at: mark) }
      let start = bytes.count
      if let value = scalar.value, scalar.length > 0 {
        bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: scalar.length))
      }
      let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
      return begin(
        .scalar,
        plain: plain,
        start: start,
        count: scalar.length,
        at: mark,
        tag: scalar.tag,
        anchor: scalar.anchor
      )
    case YAML_SEQUENCE_START_EVENT:
      let start = event.data.sequence_start
      return begin(.sequence, at: mark, tag: start.tag, anchor: start.anchor)
    case YAML_MAPPING_START_EVENT:
      let start = event.data.mapping_start
      return begin(.mapping, at: mark, tag: start.tag, anchor: start.anchor)
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      end()
      return nil
    case YAML_ALIAS_EVENT:
      guard let name = event.data.alias.anchor,
        let anchored = anchors[String(cString: name)]
      else {
        return .error(
          "YAML syntax error: found undefined alias",
          file: file,
          at: SourcePosition(mark)
        )
      }
      attach(anchored.node)
      return nil
    default:
      // libyaml emits nothing else inside a document.
      return nil
    }
  }

  /// Adds a node: its record, tag and anchor, and its place in its parent.
  private mutating func begin(
    _ kind: YAMLNode.Kind,
    plain: Bool = false,
    start: Int = 0,
    count: Int = 0,
    at mark: yaml_mark_t,
    tag: UnsafeMutablePointer<yaml_char_t>?,
    anchor: UnsafeMutablePointer<yaml_char_t>?
  ) -> Diagnostic? {
    guard records.count < Self.capacity else { return tooLarge(at: mark) }
    records.append(
      YAMLDocument.Record(
        kind: kind,
        isPlain: plain,
        line: Int32(clamping: mark.line),
        column: Int32(clamping: mark.column),
        start: Int32(start),
        count: Int32(count)
      )
    )
    let node = Int32(records.count)
    if let tag, let text = Self.explicitTag(tag) { tags[node] = text }
    if let anchor {
      let name = String(cString: anchor)
      if let first = anchors[name] {
        return .error(
          "YAML syntax error: second occurrence",
          file: file,
          at: SourcePosition(mark),
          notes: [
            .note(
              "found duplicate anchor; first occurrence",
              file: file,
              at: SourcePosition(first.mark)
            )
          ]
        )
      }
      anchors[name] = (node, mark)
    }
    attach(node)
    if kind != .scalar { open.append((node, pending.count)) }
    return nil
  }

  /// A node becomes the next child of the innermost open collection (or the root).
  private mutating func attach(_ node: Int32) {
    if !open.isEmpty { pending.append(node) }
  }

  /// Closes the innermost collection: its children move from `pending` into place.
  private mutating func end() {
    guard let (node, firstChild) = open.popLast() else { return }
    let index = Int(node - 1)
    let childCount = pending.count - firstChild
    // Indices, not a slice of `pending`: a live slice would make the removal below copy it.
    if records[index].kind == .sequence {
      records[index].start = Int32(items.count)
      records[index].count = Int32(childCount)
      for offset in firstChild..<pending.count { items.append(pending[offset]) }
    } else {
      records[index].start = Int32(pairs.count)
      records[index].count = Int32(childCount / 2)
      var offset = firstChild
      // libyaml always gives a key its value (an empty scalar when none is written).
      while offset + 1 < pending.count {
        pairs.append(YAMLDocument.Pair(key: pending[offset], value: pending[offset + 1]))
        offset += 2
      }
    }
    pending.removeLast(childCount)
  }

  /// A tag other than the default one of any kind, or `!` (which libyaml reads as none).
  private static func explicitTag(_ tag: UnsafeMutablePointer<yaml_char_t>) -> String? {
    let text = String(cString: tag)
    switch text {
    case "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map": return nil
    default: return text
    }
  }

  private func tooLarge(at mark: yaml_mark_t) -> Diagnostic {
    .error("the YAML document is too large to load", file: file, at: SourcePosition(mark))
  }
}
