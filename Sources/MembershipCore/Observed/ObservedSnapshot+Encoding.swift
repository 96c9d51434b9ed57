extension ObservedSnapshot {
  /// The snapshot of `observed` as JSON, the same bytes for the same facts.
  ///
  /// Keys come in a fixed order and every list is sorted (nodes and probes by name,
  /// datastore members by address then port, unreachable names), so the order the facts
  /// were gathered in never shows; ties are broken by the whole entry. One entry per line
  /// keeps diffs of 10,000-node snapshots readable. `cluster` is written only when given.
  public static func encode(_ observed: ObservedCluster, cluster: String? = nil) -> String {
    let sorted = Canonical(observed)
    var output = "{\n"
    output += "  \"formatVersion\": \(formatVersion),\n"
    if let cluster { output += "  \"cluster\": \(DiagnosticJSON.quote(cluster)),\n" }
    output += "  \"contact\": \(observed.contact.map(DiagnosticJSON.quote) ?? "null"),\n"
    if let identity = observed.identity {
      output += "  \"identity\": \(DiagnosticJSON.quote(identity)),\n"
    }
    output += "  \"nodes\": " + list(sorted.nodes.map(\.line)) + ",\n"
    output += "  \"datastore\": " + list(sorted.datastore.map(\.line)) + ",\n"
    output += "  \"probes\": " + list(sorted.probes.map(\.line)) + ",\n"
    output += "  \"unreachable\": " + list(sorted.unreachable.map(\.line)) + "\n"
    output += "}\n"
    return output
  }

  private static func list(_ lines: [String]) -> String {
    lines.isEmpty ? "[]" : "[\n    " + lines.joined(separator: ",\n    ") + "\n  ]"
  }

  fileprivate static func line(_ node: ObservedNode) -> String {
    "{\"name\": \(DiagnosticJSON.quote(node.name)), "
      + "\"internalIP\": \(node.internalIP.map { "\"\($0)\"" } ?? "null"), "
      + "\"role\": \(node.role.map { "\"\($0.rawValue)\"" } ?? "null"), "
      + "\"ready\": \(node.ready), "
      + "\"kubeletVersion\": \(DiagnosticJSON.quote(node.kubeletVersion))}"
  }

  fileprivate static func line(_ member: DatastoreMember) -> String {
    "{\"address\": \"\(member.address.withPort(member.port))\", "
      + "\"role\": \"\(member.role.rawValue)\"}"
  }

  fileprivate static func line(_ probe: NodeProbe) -> String {
    let head = "{\"name\": \(DiagnosticJSON.quote(probe.name)), \"finding\": "
    var tail = ""
    if let hostname = probe.hostname { tail += ", \"hostname\": \(DiagnosticJSON.quote(hostname))" }
    if let identity = probe.identity { tail += ", \"identity\": \(DiagnosticJSON.quote(identity))" }
    tail += "}"
    switch probe.finding {
    case .standalone(let track): return head + "\"standalone\", \"track\": \"\(track)\"" + tail
    case .memberOfAnotherCluster: return head + "\"member-of-another-cluster\"" + tail
    case .microK8sMissing: return head + "\"microk8s-missing\"" + tail
    case .lowMemoryGuard(let track):
      return head + "\"low-memory-guard\"" + (track.map { ", \"track\": \"\($0)\"" } ?? "") + tail
    case .notReady: return head + "\"not-ready\"" + tail
    case .notPermitted: return head + "\"not-permitted\"" + tail
    case .unreachable: return head + "\"unreachable\"" + tail
    }
  }
}

extension ObservedCluster {
  /// The same facts with every list in the order `ObservedSnapshot.encode` writes them.
  ///
  /// Decoding keeps the file's order; this is what equality after a round trip means.
  public func canonicallyOrdered() -> ObservedCluster {
    let sorted = Canonical(self)
    return ObservedCluster(
      contact: contact,
      nodes: sorted.nodes.map(\.value),
      datastore: sorted.datastore.map(\.value),
      probes: sorted.probes.map(\.value),
      unreachable: sorted.unreachable.map(\.value),
      identity: identity
    )
  }
}

/// Every list of an `ObservedCluster` sorted, each entry beside its encoded line.
private struct Canonical {
  struct Entry<Value> {
    var value: Value
    var line: String
  }

  var nodes: [Entry<ObservedNode>]
  var datastore: [Entry<DatastoreMember>]
  var probes: [Entry<NodeProbe>]
  var unreachable: [Entry<String>]

  init(_ observed: ObservedCluster) {
    nodes = Self.sorted(observed.nodes, line: ObservedSnapshot.line) { $0.name.utf8 }
    probes = Self.sorted(observed.probes, line: ObservedSnapshot.line) { $0.name.utf8 }
    unreachable = Self.sorted(observed.unreachable, line: DiagnosticJSON.quote) { $0.utf8 }
    // Numerically, so that 10.0.0.9 comes before 10.0.0.10; IPv4 before IPv6.
    datastore = observed.datastore.map { Entry(value: $0, line: ObservedSnapshot.line($0)) }
      .sorted { lhs, rhs in
        let left = Self.key(lhs.value)
        let right = Self.key(rhs.value)
        return left == right ? lhs.line.utf8.lexicographicallyPrecedes(rhs.line.utf8) : left < right
      }
  }

  private static func key(_ member: DatastoreMember) -> (UInt8, UInt64, UInt64, Int) {
    switch member.address {
    case .ipv4(let value): (4, 0, UInt64(value), member.port)
    case .ipv6(let high, let low): (6, high, low, member.port)
    }
  }

  /// By `key`'s bytes (not `String`'s Unicode ordering, which could change between
  /// toolchains), then by the whole line so that even equal keys have one order.
  private static func sorted<Value>(
    _ values: [Value],
    line: (Value) -> String,
    key: (Value) -> String.UTF8View
  ) -> [Entry<Value>] {
    values.map { Entry(value: $0, line: line($0)) }.sorted { lhs, rhs in
      let left = key(lhs.value)
      let right = key(rhs.value)
      if left.elementsEqual(right) { return lhs.line.utf8.lexicographicallyPrecedes(rhs.line.utf8) }
      return left.lexicographicallyPrecedes(right)
    }
  }
}
