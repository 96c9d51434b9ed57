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
  var nodeCount: Int { document.nodes.top - document.nodes.start }

  var root: YAMLNode? { node(1) }

  func node(_ index: Int32) -> YAMLNode? {
    guard let pointer = yaml_document_get_node(&document, index) else { return nil }
    return YAMLNode(pointer: pointer, index: index)
  }

  /// Parses exactly one document from UTF-8 bytes.
  ///
  /// Returns the document, or the diagnostics that explain why there is none: a syntax
  /// error at libyaml's position, an empty file, or a second document in the stream.
  static func load(
    _ bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> Result<YAMLDocument, DiagnosticList> {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) != 0 else {
      return .failure(DiagnosticList([.error("out of memory while parsing YAML", file: file)]))
    }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

    let loaded = YAMLDocument()
    // On failure libyaml deletes the partial document itself and zeroes it.
    guard yaml_parser_load(&parser, &loaded.document) != 0 else {
      return .failure(DiagnosticList([syntaxError(parser, bytes: bytes, file: file)]))
    }
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
    guard yaml_parser_load(&parser, &next) != 0 else {
      return .failure(DiagnosticList([syntaxError(parser, bytes: bytes, file: file)]))
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
