import CLibYAML
import Testing

@testable import MembershipCore

/// The composer makes of every input exactly what libyaml's own document loader makes.
///
/// That is, what `yaml_parser_load` makes of it: the same nodes in the same order, at the same marks,
/// with the same bytes, styles, tags, children and shared aliases; and where libyaml
/// refuses an input, the same problem at the same place. Checked on hand-picked cases
/// and on thousands of random documents and mutations of them.
@Suite("YAML composer agrees with libyaml's loader")
struct YAMLComposerTests {
  /// What libyaml's document loader makes of the bytes, in comparable form.
  enum Reference: Equatable, CustomStringConvertible {
    case nodes([String])
    case empty
    case secondDocument(line: Int, column: Int)
    case error(message: String, line: Int, column: Int, context: String?)

    var description: String {
      switch self {
      case .nodes(let nodes): nodes.joined(separator: "\n")
      case .empty: "empty"
      case .secondDocument(let line, let column): "second document at \(line):\(column)"
      case .error(let message, let line, let column, let context):
        "\(message) at \(line):\(column)" + (context.map { " (\($0))" } ?? "")
      }
    }
  }

  static func reference(_ text: String) -> Reference {
    var bytes = Array(text.utf8)
    let count = bytes.count
    return bytes.withUnsafeMutableBufferPointer { buffer in
      var parser = yaml_parser_t()
      yaml_parser_initialize(&parser)
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_input_string(&parser, buffer.baseAddress, count)
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      var document = yaml_document_t()
      guard yaml_parser_load(&parser, &document) != 0 else { return referenceError(parser) }
      defer { yaml_document_delete(&document) }
      guard yaml_document_get_root_node(&document) != nil else { return .empty }
      var next = yaml_document_t()
      guard yaml_parser_load(&parser, &next) != 0 else { return referenceError(parser) }
      defer { yaml_document_delete(&next) }
      if yaml_document_get_root_node(&next) != nil {
        return .secondDocument(
          line: Int(next.start_mark.line) + 1,
          column: Int(next.start_mark.column) + 1
        )
      }
      let count = document.nodes.top - document.nodes.start
      let nodes = UnsafeBufferPointer(start: document.nodes.start, count: count)
      return .nodes(nodes.map(describe))
    }
  }

  private static func referenceError(_ parser: yaml_parser_t) -> Reference {
    .error(
      message: "YAML syntax error: " + String(cString: parser.problem),
      line: Int(parser.problem_mark.line) + 1,
      column: Int(parser.problem_mark.column) + 1,
      context: parser.context.map {
        "\(String(cString: $0)) at \(parser.context_mark.line + 1):\(parser.context_mark.column + 1)"
      }
    )
  }

  private static func describe(_ node: yaml_node_t) -> String {
    let mark = "\(node.start_mark.line + 1):\(node.start_mark.column + 1)"
    var tag = node.tag.map { String(cString: $0) } ?? ""
    if ["tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"].contains(tag) {
      tag = ""
    }
    switch node.type {
    case YAML_SCALAR_NODE:
      let scalar = node.data.scalar
      let value = String(
        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length),
        as: UTF8.self
      )
      let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
      return "scalar \(mark) \(tag) plain=\(plain) \(value.debugDescription)"
    case YAML_SEQUENCE_NODE:
      let items = node.data.sequence.items
      let children = UnsafeBufferPointer(start: items.start, count: items.top - items.start)
      return "sequence \(mark) \(tag) \(Array(children))"
    default:
      let pairs = node.data.mapping.pairs
      let children = UnsafeBufferPointer(start: pairs.start, count: pairs.top - pairs.start)
      return "mapping \(mark) \(tag) \(children.map { [$0.key, $0.value] })"
    }
  }

  /// The composer's document in the same form.
  static func composed(_ text: String) -> Reference {
    let bytes = Array(text.utf8)
    let result = bytes.withUnsafeBufferPointer { YAMLDocument.load($0, file: "t.yaml") }
    switch result {
    case .failure(let list):
      let diagnostic = list.diagnostics[0]
      if diagnostic.message.hasPrefix("the file is empty") { return .empty }
      let position = diagnostic.position ?? .start
      if diagnostic.message.hasPrefix("the file holds more than one YAML document") {
        return .secondDocument(line: position.line, column: position.column)
      }
      return .error(
        message: diagnostic.message,
        line: position.line,
        column: position.column,
        context: diagnostic.notes.first.map { note in
          let position = note.position ?? .start
          return "\(note.message) at \(position.line):\(position.column)"
        }
      )
    case .success(let document):
      return .nodes((1...document.nodeCount).compactMap { document.node(Int32($0)).map(describe) })
    }
  }

  private static func describe(_ node: YAMLNode) -> String {
    let mark = "\(node.position.line):\(node.position.column)"
    let tag = node.explicitTag ?? ""
    switch node.kind {
    case .scalar:
      return "scalar \(mark) \(tag) plain=\(node.isPlain) \(node.string.debugDescription)"
    case .sequence:
      return "sequence \(mark) \(tag) \(Array(node.items))"
    case .mapping:
      return "mapping \(mark) \(tag) \(node.pairs.map { [$0.key, $0.value] })"
    }
  }

  static let cases: [String] = [
    "",
    "# only a comment\n",
    "---\n",
    "a: 1\n",
    "a: &x {b: [1, 2, *x]}\nc: *x\n",
    "a: &x 1\nb: &x 2\n",
    "a: *nowhere\n",
    "- !!int 3\n- !custom {a: b}\n- ! 5\n- !!str x\n- !!map {}\n",
    "? [a, b]\n: c\n? d\n",
    "a:\nb: ''\nc: \"q\\x41\\u263A\"\nd: |\n  line one\n  line two\ne: >-\n  folded\n  text\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\nb: [\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: b\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "\"unterminated\n",
    "- a\n- - b\n  - c\n- {d: [e, {f: g}]}\n",
    "&a a: &b b\n*a : *b\n",
    "x: &r [*r]\n",
    "  a: 1\n b: 2\n",
    "a:\n  - b\n  -\n  - c: \n",
    "{a: 1, a: 2}\n",
    "[a, b]: c\n",
    "\u{FEFF}a: 1\n",
    "a: \"\u{263A}\u{1F600}\"\nb: é\n",
  ]

  @Test("hand-picked documents and errors", arguments: cases)
  func handPicked(_ text: String) {
    #expect(Self.composed(text) == Self.reference(text), "\(text.debugDescription)")
  }

  @Test("random documents and mutations of them, 3000 of each")
  func random() {
    var generator = SplitMix64(seed: 0x59414D4C)
    for round in 0..<3000 {
      let text = RandomYAML.document(using: &generator)
      let mutated = RandomYAML.mutate(text, using: &generator)
      for input in [text, mutated] {
        let composed = Self.composed(input)
        let reference = Self.reference(input)
        #expect(composed == reference, "round \(round): \(input.debugDescription)")
        if composed != reference { return }
      }
    }
  }
}
