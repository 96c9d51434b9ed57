import CLibYAML

/// One YAML document, composed from libyaml's events (`yaml_parser_parse`) into flat
/// arrays: a record per node, the scalars' bytes in one buffer, the children of all
/// collections in two more.
///
/// libyaml's own document API (`yaml_parser_load`) builds the same tree with a heap block
/// per node, per scalar and per tag, and keeps every event's strings until the document
/// is deleted; composing from events frees each event at once, which halves the peak
/// memory and takes most of the allocator and page-fault work out of a load. Marks are
/// kept, so every node still has its exact line:column. Aliases are not expanded: an
/// alias is a second reference to the anchored node, as in libyaml's document, so memory
/// stays bounded by the input and `AliasBudget` bounds what walking it may cost.
final class YAMLDocument {
  /// What the document knows of one node; children and bytes live in shared buffers.
  struct Record {
    var kind: YAMLNode.Kind
    /// For scalars: written without quotes or block indicators.
    var isPlain: Bool
    /// 0-based, as libyaml's marks are.
    var line: Int32
    var column: Int32
    /// Scalars: the range of their bytes; sequences: of `items`; mappings: of `pairs`.
    var start: Int32
    var count: Int32
  }

  /// A mapping entry by node index, with the field names of libyaml's `yaml_node_pair_t`.
  struct Pair {
    var key: Int32
    var value: Int32
  }

  let records: UnsafeMutableBufferPointer<Record>
  let bytes: UnsafeMutableBufferPointer<UInt8>
  let items: UnsafeMutableBufferPointer<Int32>
  let pairs: UnsafeMutableBufferPointer<Pair>
  /// Tags other than the default ones for their kind, by node index; rare.
  let tags: [Int32: String]

  init(composed: YAMLComposer) {
    records = Self.copy(composed.records)
    bytes = Self.copy(composed.bytes)
    items = Self.copy(composed.items)
    pairs = Self.copy(composed.pairs)
    tags = composed.tags
  }

  deinit {
    records.deallocate()
    bytes.deallocate()
    items.deallocate()
    pairs.deallocate()
  }

  private static func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
    let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
    _ = buffer.initialize(from: array)
    return buffer
  }

  /// The number of distinct nodes (aliases not expanded).
  var nodeCount: Int { records.count }

  var root: YAMLNode? { node(1) }

  /// The node with a 1-based index, as pairs and items name them (libyaml's numbering:
  /// nodes in the order they start).
  func node(_ index: Int32) -> YAMLNode? {
    guard index >= 1, Int(index) <= records.count, let base = records.baseAddress else {
      return nil
    }
    return YAMLNode(record: base + Int(index - 1), index: index, document: self)
  }

  /// Flow collections nested deeper than this are refused while libyaml reads them.
  ///
  /// libyaml's scanner re-checks every open flow level on each token, so `[[[[…` costs
  /// quadratic time (200,000 levels took minutes). A topology needs a handful of levels.
  static let maxFlowDepth = 64

  /// Block collections (by indentation, or `- - - x` and `? ? x` on one line) nested
  /// deeper than this are refused while libyaml reads them too.
  ///
  /// libyaml keeps a stack entry per open block level, so `? ` repeated a million times
  /// (2 MB, within the size cap) took a second and 550 MB before it could be refused for
  /// its shape. A topology needs a handful of levels.
  static let maxBlockDepth = 64

  /// Bytes handed to libyaml per read: how far it may run past a depth limit before
  /// `feedParser` looks at its flow level and block depth again.
  fileprivate static let chunkSize = 512

  /// What libyaml's read handler sees: the input, and the parser to watch.
  struct ReadState {
    var input: UnsafeBufferPointer<UInt8>
    var offset = 0
    var parser: UnsafeMutablePointer<yaml_parser_t>
    /// Where the scanner was when nesting passed a limit, and which kind of nesting.
    var tooDeepAt: yaml_mark_t?
    var tooDeepInBlocks = false
  }

  /// Parses exactly one document from UTF-8 bytes.
  ///
  /// Returns the document, or the diagnostics that explain why there is none: a syntax
  /// error at libyaml's position, nesting too deep, an empty file, or a second document.
  static func load(
    _ bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> Result<YAMLDocument, DiagnosticList> {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) != 0 else {
      return .failure(DiagnosticList([.error("out of memory while parsing YAML", file: file)]))
    }
    defer { yaml_parser_delete(parser) }
    var state = ReadState(input: bytes, parser: parser)
    return withUnsafeMutablePointer(to: &state) { statePointer in
      yaml_parser_set_input(parser, feedParser, statePointer)
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
      var composer = YAMLComposer(parser: parser, file: file, sizeHint: bytes.count)
      switch composer.compose() {
      case .composed:
        return .success(YAMLDocument(composed: composer))
      case .empty:
        return .failure(
          DiagnosticList([
            .error(
              "the file is empty; expected a topology with 'apiVersion: mktopo/v1'",
              file: file,
              at: .start
            )
          ])
        )
      case .secondDocument(let mark):
        return .failure(
          DiagnosticList([
            .error(
              "the file holds more than one YAML document; a topology is exactly one document",
              file: file,
              at: SourcePosition(mark),
              notes: [.note("the first document starts here", file: file, at: .start)]
            )
          ])
        )
      case .failed(let composeError):
        return .failure(DiagnosticList([composeError]))
      case .parserFailed:
        return .failure(
          DiagnosticList([failure(parser, state: statePointer, bytes: bytes, file: file)])
        )
      }
    }
  }

  private static func failure(
    _ parser: UnsafeMutablePointer<yaml_parser_t>,
    state: UnsafeMutablePointer<ReadState>,
    bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> Diagnostic {
    if let mark = state.pointee.tooDeepAt {
      let message =
        state.pointee.tooDeepInBlocks
        ? "block collections are nested more than \(maxBlockDepth) levels deep (by indentation "
          + "or by '- ' and '? ' entries on one line); a topology needs a few"
        : "collections are nested more than \(maxFlowDepth) levels deep; a topology needs a few"
      return .error(message, file: file, at: SourcePosition(mark))
    }
    return syntaxError(parser.pointee, bytes: bytes, file: file)
  }

  private static func syntaxError(
    _ parser: yaml_parser_t,
    bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> Diagnostic {
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    if parser.error == YAML_READER_ERROR {
      // Reader errors carry a byte offset instead of a mark.
      let position = SourceText.position(ofByte: parser.problem_offset, in: bytes)
      return .error("YAML syntax error: \(problem)", file: file, at: position)
    }
    if parser.error == YAML_MEMORY_ERROR {
      return .error("out of memory while parsing YAML", file: file)
    }
    var notes: [Diagnostic] = []
    if let context = parser.context {
      notes.append(
        .note(String(cString: context), file: file, at: SourcePosition(parser.context_mark))
      )
    }
    return .error(
      "YAML syntax error: \(problem)",
      file: file,
      at: SourcePosition(parser.problem_mark),
      notes: notes
    )
  }
}

extension SourcePosition {
  /// A libyaml mark, 0-based, as a 1-based position.
  init(_ mark: yaml_mark_t) {
    self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }
}

/// Diagnostics as an `Error`, so a `Result` can carry them.
struct DiagnosticList: Error {
  var diagnostics: [Diagnostic]
  init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// libyaml's read handler: copies the next chunk, or fails the read once the scanner is
/// nested too deeply (libyaml then stops with a reader error that `load` explains).
///
/// It runs once per 512-byte chunk and its checks are a few loads and compares, so the
/// load benchmark does not see them. The block depth is the height of libyaml's
/// indentation stack, which has one entry per open block collection.
private func feedParser(
  _ data: UnsafeMutableRawPointer?,
  _ buffer: UnsafeMutablePointer<UInt8>?,
  _ size: Int,
  _ sizeRead: UnsafeMutablePointer<Int>?
) -> Int32 {
  guard let data, let buffer, let sizeRead else { return 0 }
  let state = data.assumingMemoryBound(to: YAMLDocument.ReadState.self)
  let parser = state.pointee.parser
  if parser.pointee.flow_level > YAMLDocument.maxFlowDepth {
    state.pointee.tooDeepAt = parser.pointee.mark
    return 0
  }
  if let top = parser.pointee.indents.top, let start = parser.pointee.indents.start,
    top - start > YAMLDocument.maxBlockDepth
  {
    state.pointee.tooDeepAt = parser.pointee.mark
    state.pointee.tooDeepInBlocks = true
    return 0
  }
  let count = min(size, YAMLDocument.chunkSize, state.pointee.input.count - state.pointee.offset)
  if count > 0, let base = state.pointee.input.baseAddress {
    buffer.update(from: base + state.pointee.offset, count: count)
  }
  state.pointee.offset += count
  sizeRead.pointee = count
  return 1
}
