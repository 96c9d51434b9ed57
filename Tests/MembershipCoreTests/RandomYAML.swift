/// Random YAML documents that use what a composer must get right: block and flow
/// collections, every scalar style, explicit keys, tags, anchors from a small pool (so
/// duplicates happen) and aliases to them (so undefined ones do too), comments, and now
/// and then a second document; and mutations of them, which are mostly errors.
enum RandomYAML {
  private static let words = [
    "a", "node-1", "10.0.0.1", "1", "-7", "0x1F", "0o17", "1.5", "1e3", ".inf", "true", "False",
    "null", "~", "mixed", "1.28/stable", "x y", "é",
  ]
  private static let quoted = [
    "''", "'it''s'", "\"\"", "\"q\\n\\t\\x41\"", "\"\\u263A\"", "\"a b\"",
  ]
  private static let tags = ["!!int ", "!!str ", "!custom ", "! ", "!!map ", "!<tag:x> "]
  private static let anchors = ["a", "b", "c"]

  /// One element of a non-empty list.
  private static func pick<Element>(_ list: [Element], _ generator: inout SplitMix64) -> Element {
    list[Int.random(in: 0..<list.count, using: &generator)]
  }

  static func document(using generator: inout SplitMix64) -> String {
    var text = ""
    switch Int.random(in: 0..<10, using: &generator) {
    case 0: text += "%YAML 1.1\n---\n"
    case 1: text += "--- # start\n"
    default: break
    }
    text += block(indent: 0, depth: 0, using: &generator)
    switch Int.random(in: 0..<15, using: &generator) {
    case 0: text += "---\n" + block(indent: 0, depth: 2, using: &generator)
    case 1: text += "...\n"
    case 2: text += "# trailing comment\n"
    default: break
    }
    return text
  }

  /// A block collection at `indent`, lines ending in newlines.
  private static func block(indent: Int, depth: Int, using generator: inout SplitMix64) -> String {
    let pad = String(repeating: " ", count: indent)
    var text = ""
    let entries = Int.random(in: 1...4, using: &generator)
    let isSequence = Bool.random(using: &generator)
    let prefix = properties(using: &generator)
    if !prefix.isEmpty, depth == 0 { text += prefix.trimmingSpace + "\n" }
    for _ in 0..<entries {
      if isSequence {
        text += pad + "-"
      } else if Int.random(in: 0..<8, using: &generator) == 0 {
        text += pad + "? " + inline(depth: depth + 1, using: &generator) + "\n" + pad + ":"
      } else {
        text += pad + scalar(using: &generator) + ":"
      }
      if depth < 3, Int.random(in: 0..<3, using: &generator) == 0 {
        text += "\n" + block(indent: indent + 2, depth: depth + 1, using: &generator)
      } else if Int.random(in: 0..<10, using: &generator) == 0 {
        text += " |\n" + pad + "  line one\n" + pad + "  line two\n"
      } else {
        text += " " + inline(depth: depth + 1, using: &generator)
        if Int.random(in: 0..<6, using: &generator) == 0 { text += " # note" }
        text += "\n"
      }
    }
    return text
  }

  /// A value on one line: a scalar, an alias, or a flow collection.
  private static func inline(depth: Int, using generator: inout SplitMix64) -> String {
    let roll = Int.random(in: 0..<10, using: &generator)
    if roll == 0 {
      return "*" + pick(anchors, &generator)
    }
    if roll < 3, depth < 5 {
      let count = Int.random(in: 0...3, using: &generator)
      let isMapping = Bool.random(using: &generator)
      let items = (0..<count).map { _ in
        isMapping
          ? scalar(using: &generator) + ": " + inline(depth: depth + 1, using: &generator)
          : inline(depth: depth + 1, using: &generator)
      }
      let body = items.joined(separator: ", ")
      return properties(using: &generator)
        + (isMapping ? "{\(body)}" : "[\(body)]")
    }
    return properties(using: &generator) + scalar(using: &generator)
  }

  private static func scalar(using generator: inout SplitMix64) -> String {
    Int.random(in: 0..<4, using: &generator) == 0
      ? pick(quoted, &generator) : pick(words, &generator)
  }

  /// An anchor and a tag, each now and then.
  private static func properties(using generator: inout SplitMix64) -> String {
    var text = ""
    if Int.random(in: 0..<6, using: &generator) == 0 {
      text += "&" + pick(anchors, &generator) + " "
    }
    if Int.random(in: 0..<8, using: &generator) == 0 {
      text += pick(tags, &generator)
    }
    return text
  }

  /// One to three insertions, deletions or swaps of characters that matter to YAML.
  static func mutate(_ text: String, using generator: inout SplitMix64) -> String {
    var scalars = Array(text.unicodeScalars)
    let noise = Array(" :-[]{},&*!|>'\"#\n?%".unicodeScalars)
    for _ in 0..<Int.random(in: 1...3, using: &generator) {
      let position = Int.random(in: 0...scalars.count, using: &generator)
      switch Int.random(in: 0..<3, using: &generator) {
      case 0:
        scalars.insert(pick(noise, &generator), at: position)
      case 1 where position < scalars.count:
        scalars.remove(at: position)
      default:
        if position + 1 < scalars.count { scalars.swapAt(position, position + 1) }
      }
    }
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars)
    return result
  }
}

extension String {
  fileprivate var trimmingSpace: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
