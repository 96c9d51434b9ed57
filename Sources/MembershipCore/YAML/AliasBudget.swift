import CLibYAML

/// Bounds what aliases and merge keys may cost before anything walks the document.
///
/// libyaml shares an anchored node between all its aliases, so a "billion laughs" file
/// is small in memory; it is walking it as a tree that explodes. This measures the size
/// of the tree the document stands for (every alias expanded) in one pass over the
/// shared graph, saturating early, and refuses recursive aliases (`&a [*a]`), which
/// libyaml allows because an anchor is registered before its children are read.
enum AliasBudget {
  /// Extra nodes that aliases may add beyond the document's own nodes.
  static let extraNodes = 10_000

  static func check(_ document: YAMLDocument, file: String) -> Diagnostic? {
    guard let root = document.root else { return nil }
    let nodeCount = document.nodeCount
    let limit = nodeCount + extraNodes
    // 0: not seen, 1: on the current path, 2: measured.
    var state = [UInt8](repeating: 0, count: nodeCount + 1)
    var size = [Int](repeating: 0, count: nodeCount + 1)
    var stack: [(node: YAMLNode, next: Int)] = [(root, 0)]
    state[Int(root.index)] = 1

    while let (node, next) = stack.last {
      let children = childCount(node)
      if next < children {
        stack[stack.count - 1].next += 1
        let childIndex = child(node, next)
        guard let childNode = document.node(childIndex) else { continue }
        switch state[Int(childIndex)] {
        case 0:
          state[Int(childIndex)] = 1
          stack.append((childNode, 0))
        case 1:
          return .error(
            "an alias refers to a node that contains it; recursive aliases are not allowed",
            file: file,
            at: childNode.position
          )
        default:
          continue
        }
        continue
      }
      var total = 1
      for offset in 0..<children {
        total = min(limit + 1, total + size[Int(child(node, offset))])
      }
      if total > limit {
        return .error(
          "aliases expand this node beyond the limit of \(extraNodes) nodes more than the "
            + "file holds; a topology never needs that many (a \"billion laughs\" file?)",
          file: file,
          at: node.position
        )
      }
      size[Int(node.index)] = total
      state[Int(node.index)] = 2
      stack.removeLast()
    }
    return nil
  }

  private static func childCount(_ node: YAMLNode) -> Int {
    switch node.kind {
    case .scalar: 0
    case .sequence: node.items.count
    case .mapping: node.pairs.count * 2
    }
  }

  private static func child(_ node: YAMLNode, _ offset: Int) -> Int32 {
    switch node.kind {
    case .scalar: 0
    case .sequence: node.items[offset]
    case .mapping:
      offset % 2 == 0 ? node.pairs[offset / 2].key : node.pairs[offset / 2].value
    }
  }
}
