import CLibYAML

/// One YAML document, loaded with libyaml's document API (`yaml_parser_load`).
///
/// The document API keeps exact line:column marks for every node and is several times
/// faster than a decoder built on a node tree of our own. Aliases are not expanded by
/// libyaml: an alias is a second reference to the anchored node, so memory stays bounded
/// by the input and `AliasBudget` bounds what walking it may cost.
final class YAMLDocument {
  private var document = yaml_document_t()

  private init() {}

  deinit { yaml_document_delete(&document) }

  /// The number of distinct nodes libyaml created (aliases not expanded).
  var nodeCount: Int { count }

  var root: YAMLNode? { node(1) }

  /// libyaml's node array, fixed once loading is done.
  private var nodes: UnsafeMutablePointer<yaml_node_t>?
  private var count = 0
  private var tagsPossible = true

  /// The node with a 1-based index, as libyaml's pairs and items name them.
  ///
  /// Reads libyaml's array directly: `yaml_document_get_node(&document, …)` on a class
  /// property costs a dynamic exclusivity check per call, and walking makes many.
  func node(_ index: Int32) -> YAMLNode? {
    guard index >= 1, Int(index) <= count, let nodes else { return nil }
    return YAMLNode(pointer: nodes + Int(index - 1), index: index, tagsPossible: tagsPossible)
  }

  /// Flow collections nested deeper than this are refused while libyaml reads them.
  ///
  /// libyaml's scanner re-checks every open flow level on each token, so `[[[[…` costs
  /// quadratic time (200,000 levels took minutes). A topology needs a handful of levels.
  static let maxFlowDepth = 64

  /// Block collections (by indentation, or `- - - x` and `? ? x` on one line) nested
  /// deeper than this are refused while libyaml reads them too.
  ///
  /// libyaml keeps a stack entry per open block level and builds a node per level, so
  /// `? ` repeated a million times (2 MB, within the size cap) took a second and 550 MB
  /// before it could be refused for its shape. A topology needs a handful of levels.
  static let maxBlockDepth = 64

  /// Bytes handed to libyaml per read: how far it may run past a depth limit before
  /// `feedParser` looks at its flow level and block depth again.
  fileprivate static let chunkSize = 512

  /// What libyaml's read handler sees: the input, and the parser to watch.
  fileprivate struct ReadState {
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
      return load(parser, state: statePointer, bytes: bytes, file: file)
    }
  }

  private static func load(
    _ parser: UnsafeMutablePointer<yaml_parser_t>,
    state: UnsafeMutablePointer<ReadState>,
    bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> Result<YAMLDocument, DiagnosticList> {
    let loaded = YAMLDocument()
    // On failure libyaml deletes the partial document itself and zeroes it.
    guard yaml_parser_load(parser, &loaded.document) != 0 else {
      return .failure(DiagnosticList([failure(parser, state: state, bytes: bytes, file: file)]))
    }
    loaded.nodes = loaded.document.nodes.start
    loaded.count = loaded.document.nodes.top - loaded.document.nodes.start
    loaded.tagsPossible = SourceText.contains(UInt8(ascii: "!"), in: bytes)
    guard loaded.root != nil else {
      return .failure(
        DiagnosticList([
          .error(
            "the file is empty; expected a topology with 'apiVersion: mktopo/v1'",
            file: file,
            at: .start
          )
        ])
      )
    }
    var next = yaml_document_t()
    guard yaml_parser_load(parser, &next) != 0 else {
      return .failure(DiagnosticList([failure(parser, state: state, bytes: bytes, file: file)]))
    }
    defer { yaml_document_delete(&next) }
    if yaml_document_get_root_node(&next) != nil {
      let mark = next.start_mark
      let position = SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
      return .failure(
        DiagnosticList([
          .error(
            "the file holds more than one YAML document; a topology is exactly one document",
            file: file,
            at: position,
            notes: [.note("the first document starts here", file: file, at: .start)]
          )
        ])
      )
    }
    return .success(loaded)
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
      return .error(
        message,
        file: file,
        at: SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
      )
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
    let mark = parser.problem_mark
    var notes: [Diagnostic] = []
    if let context = parser.context {
      let contextMark = parser.context_mark
      notes.append(
        .note(
          String(cString: context),
          file: file,
          at: SourcePosition(line: Int(contextMark.line) + 1, column: Int(contextMark.column) + 1)
        )
      )
    }
    return .error(
      "YAML syntax error: \(problem)",
      file: file,
      at: SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1),
      notes: notes
    )
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
