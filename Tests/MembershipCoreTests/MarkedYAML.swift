import MembershipCore
import Testing

/// YAML with position markers ①..⑨ where diagnostics are expected.
///
/// The markers are removed before loading; each one's line and column (in Unicode
/// scalars, as libyaml counts) is remembered, so a test says "error at ②" instead of
/// counting columns by hand.
struct MarkedYAML {
  var text: String
  var markers: [Character: SourcePosition]

  init(_ marked: String) {
    var text = ""
    var markers: [Character: SourcePosition] = [:]
    var line = 1
    var column = 1
    for character in marked {
      if let scalar = character.unicodeScalars.first, (0x2460...0x2468).contains(scalar.value) {
        markers[character] = SourcePosition(line: line, column: column)
        continue
      }
      text.append(character)
      if character == "\n" {
        line += 1
        column = 1
      } else {
        column += character.unicodeScalars.count
      }
    }
    self.text = text
    self.markers = markers
  }

  func load(file: String = "t.yaml") -> TopologyLoad {
    TopologyLoader.load(Array(text.utf8), file: file)
  }

  func position(
    _ marker: Character,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> SourcePosition? {
    let position = markers[marker]
    #expect(position != nil, "marker \(marker) is not in the text", sourceLocation: sourceLocation)
    return position
  }
}

/// Expects exactly one diagnostic of `severity` whose message contains `phrase`, at `marker`.
func expectDiagnostic(
  _ marked: MarkedYAML,
  _ severity: Diagnostic.Severity,
  at marker: Character,
  containing phrase: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let load = marked.load()
  let matches = load.diagnostics.filter { $0.severity == severity && $0.message.contains(phrase) }
  #expect(
    matches.count == 1,
    "expected one \(severity) containing \"\(phrase)\", got: \(load.diagnostics.map(\.description))",
    sourceLocation: sourceLocation
  )
  if let match = matches.first {
    #expect(
      match.position == marked.position(marker, sourceLocation: sourceLocation),
      "\(match)",
      sourceLocation: sourceLocation
    )
    #expect(match.file == "t.yaml", sourceLocation: sourceLocation)
  }
  if severity == .error {
    #expect(
      load.topology == nil,
      "a file with errors must not produce a topology",
      sourceLocation: sourceLocation
    )
  }
}

/// A valid three-node file that tests vary one field of.
let validHeader = """
  apiVersion: mktopo/v1
  kind: Topology
  cluster:
    name: homelab
    version: "1.28"

  """
