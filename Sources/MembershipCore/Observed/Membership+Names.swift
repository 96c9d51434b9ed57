extension Membership.Matched {
  /// Unlisted nodes whose InternalIP the file declares for a node of another name.
  ///
  /// A file that misspells a member's name lists its address under the wrong name; the
  /// member then looks unlisted, and pruning it would remove a node the file means to
  /// keep. By index in `unlisted`, the first topology node declaring the address.
  static func misnamed(
    _ unlisted: [ObservedNode],
    _ topology: Topology
  ) -> [(unlisted: Int, spec: Int)] {
    var declared: [NodeAddress: Int] = [:]
    for (index, spec) in topology.nodes.enumerated() {
      guard let address = spec.address, declared[address] == nil else { continue }
      declared[address] = index
    }
    var found: [(unlisted: Int, spec: Int)] = []
    for (index, node) in unlisted.enumerated() {
      guard let address = node.internalIP, let spec = declared[address] else { continue }
      found.append((index, spec))
    }
    return found
  }

  /// The unlisted node at the address `topology.nodes[spec]` declares, if it has
  /// another name.
  func misnamedNode(forSpec spec: Int) -> ObservedNode? {
    guard !misnamed.isEmpty, let position = misnamedBySpec[spec] else { return nil }
    return unlisted[position]
  }

  /// Whether `unlisted[index]` is at an address the file declares for another name.
  func isMisnamed(unlisted index: Int) -> Bool {
    !misnamed.isEmpty && misnamedUnlisted.contains(index)
  }
}

extension Membership.Matched {
  /// The probe of `topology.nodes[index]`: of a listed non-member, or of a member that
  /// left; nil when it was not probed.
  func probe(_ index: Int) -> NodeProbe? {
    let entry = entries[index]
    switch entry.kind {
    case .probed: return probes[entry.observed]
    case .left: return probes[Int(entry.probe)]
    case .member, .addressMismatch, .unreachable, .notObserved: return nil
    }
  }
}
