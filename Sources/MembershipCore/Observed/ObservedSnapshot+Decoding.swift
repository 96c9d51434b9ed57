/// Turns a parsed snapshot into an `ObservedCluster`, collecting every problem.
///
/// Reading goes on after a problem so that one run shows all of them; an entry with a
/// problem is left out, and checks that would only repeat an earlier problem are skipped.
struct SnapshotDecoder {
  private(set) var problems: [SnapshotProblem] = []

  static let findings = [
    "standalone", "member-of-another-cluster", "microk8s-missing", "low-memory-guard",
    "not-permitted", "not-ready", "unreachable",
  ]

  mutating func decodeRoot(_ root: ParsedJSON) -> (cluster: String?, observed: ObservedCluster)? {
    guard
      let fields = object(
        root,
        "the snapshot",
        required: ["formatVersion", "contact", "nodes", "datastore", "probes", "unreachable"],
        optional: ["cluster", "identity"]
      )
    else { return nil }
    // Another version may mean other keys: anything more said about them would be noise.
    if let version = fields["formatVersion"] {
      guard case .number("1") = version.kind else {
        error(
          "'formatVersion' must be \(ObservedSnapshot.formatVersion), found \(version.noun); "
            + "this mktopo reads only format version \(ObservedSnapshot.formatVersion)",
          at: version.offset
        )
        return nil
      }
    }
    let cluster = fields["cluster"].flatMap { clusterName($0) }
    let identity = fields["identity"].flatMap { self.identity($0, "identity") }
    let nodes = list(fields["nodes"], "nodes") { $0.node($1, $2) }
    let datastore = list(fields["datastore"], "datastore") { $0.member($1, $2) }
    let probes = list(fields["probes"], "probes") { $0.probe($1, $2) }
    let unreachable = list(fields["unreachable"], "unreachable") { decoder, value, path in
      decoder.name(value, path).map { (name: $0, offset: value.offset) }
    }
    let nodeNames = unique(nodes, "node", key: \.node.name, offset: \.offset)
    unique(datastore, "datastore member", key: \.key, offset: \.offset)
    unique(probes, "probe of", key: \.probe.name, offset: \.offset)
    let unreachableNames = unique(unreachable, "unreachable node", key: \.name, offset: \.offset)
    let contact = fields["contact"].flatMap { contactName($0) }
    if let contact, let value = fields["contact"] {
      // Said only when every node could be read: else the contact may be a node with a problem.
      if nodes != nil, nodeNames[contact] == nil {
        error(
          "the contact \(contact.shown) is not one of 'nodes'; the contact is the member the "
            + "snapshot was read through",
          at: value.offset
        )
      }
      if let seen = unreachableNames[contact] {
        error(
          "the contact \(contact.shown) is also listed as unreachable, but it answered",
          at: value.offset,
          note: (seen, "listed as unreachable here")
        )
      }
    }
    // A member may be probed too (one that is not Ready, to tell down from left), but
    // not the contact: the pass read the cluster through it.
    for (probe, offset) in probes ?? [] {
      if let contact, probe.name == contact, let value = fields["contact"] {
        error(
          "\(probe.name.shown) is probed but is the contact; the contact is read, not probed",
          at: offset,
          note: (value.offset, "the contact is named here")
        )
      }
      if probe.finding != .unreachable, let seen = unreachableNames[probe.name] {
        error(
          "\(probe.name.shown) is listed as unreachable, but its probe answered",
          at: seen,
          note: (offset, "the probe is here")
        )
      }
    }
    guard let nodes, let datastore, let probes, let unreachable, problems.isEmpty else {
      return nil
    }
    return (
      cluster,
      ObservedCluster(
        contact: contact,
        nodes: nodes.map(\.node),
        datastore: datastore.map(\.member),
        probes: probes.map(\.probe),
        unreachable: unreachable.map(\.name),
        identity: identity
      )
    )
  }

  /// A cluster identity: a Kubernetes UID (8-4-4-4-12 hex digits).
  private mutating func identity(_ value: ParsedJSON, _ path: String) -> String? {
    guard let text = value.string, MicroK8sOutput.isIdentity(text) else {
      error(
        "\(quoted(path)) must be a Kubernetes UID such as "
          + "\"0b8e4b6c-3f5e-4c1a-9d2e-7a6b5c4d3e2f\", found \(value.noun)",
        at: value.offset
      )
      return nil
    }
    return text
  }

  /// The contact's name, or nil for `null` (no member answered) and for a problem.
  private mutating func contactName(_ value: ParsedJSON) -> String? {
    if case .null = value.kind { return nil }
    return name(value, "contact")
  }

  // MARK: - Entries

  private mutating func node(
    _ value: ParsedJSON,
    _ path: String
  ) -> (node: ObservedNode, offset: Int)? {
    guard
      let fields = object(
        value,
        path,
        required: ["name", "internalIP", "role", "ready", "kubeletVersion"],
        optional: []
      )
    else { return nil }
    let name = fields["name"].flatMap { self.name($0, path + ".name") }
    var internalIP: NodeAddress??
    if let value = fields["internalIP"] {
      if case .null = value.kind {
        internalIP = .some(nil)
      } else if let text = string(value, path + ".internalIP") {
        internalIP = address(text, value, path + ".internalIP").map { .some($0) }
      }
    }
    var role: Role??
    if let value = fields["role"] {
      if case .null = value.kind {
        role = .some(nil)
      } else {
        role = choice(value, path + ".role", Role.allCases.map(\.rawValue), orNull: true)
          .flatMap { Role(rawValue: $0) }.map { .some($0) }
      }
    }
    let ready = fields["ready"].flatMap { bool($0, path + ".ready") }
    let version = fields["kubeletVersion"].flatMap { kubeletVersion($0, path + ".kubeletVersion") }
    guard let name, let internalIP, let role, let ready, let version else { return nil }
    return (
      ObservedNode(
        name: name,
        internalIP: internalIP,
        role: role,
        ready: ready,
        kubeletVersion: version
      ),
      value.offset
    )
  }

  /// A datastore member's identity, for duplicate detection.
  struct MemberKey: Hashable, CustomStringConvertible {
    var address: NodeAddress
    var port: Int
    var description: String { address.withPort(port) }
  }

  private mutating func member(
    _ value: ParsedJSON,
    _ path: String
  ) -> (member: DatastoreMember, key: MemberKey, offset: Int)? {
    guard let fields = object(value, path, required: ["address", "role"], optional: []) else {
      return nil
    }
    let endpoint = fields["address"].flatMap { self.endpoint($0, path + ".address") }
    let role = fields["role"].flatMap {
      choice($0, path + ".role", DatastoreRole.allCases.map(\.rawValue), orNull: false)
    }.flatMap { DatastoreRole(rawValue: $0) }
    guard let endpoint, let role else { return nil }
    let member = DatastoreMember(address: endpoint.address, port: endpoint.port, role: role)
    return (member, MemberKey(address: endpoint.address, port: endpoint.port), value.offset)
  }

  private mutating func probe(
    _ value: ParsedJSON,
    _ path: String
  ) -> (probe: NodeProbe, offset: Int)? {
    guard
      let fields = object(
        value,
        path,
        required: ["name", "finding"],
        optional: ["track", "hostname", "identity"]
      )
    else {
      return nil
    }
    let name = fields["name"].flatMap { self.name($0, path + ".name") }
    let hostname = fields["hostname"].flatMap { self.name($0, path + ".hostname") }
    let identity = fields["identity"].flatMap { self.identity($0, path + ".identity") }
    let kind = fields["finding"].flatMap {
      choice($0, path + ".finding", Self.findings, orNull: false)
    }
    var finding: NodeProbe.Finding?
    switch kind {
    case "standalone":
      if let value = fields["track"] {
        finding = track(value, path + ".track").map { .standalone(track: $0) }
      } else {
        error(
          "'\(path)' is missing key 'track', required with finding 'standalone'",
          at: value.offset
        )
      }
    case "low-memory-guard":
      // The track is what `microk8s version` said, when it could tell.
      if let value = fields["track"] {
        finding = track(value, path + ".track").map { .lowMemoryGuard(track: $0) }
      } else {
        finding = .lowMemoryGuard(track: nil)
      }
    case .some(let kind):
      if let offset = fields.keyOffset("track") {
        error(
          "'\(path).track' is only allowed with finding 'standalone' or 'low-memory-guard', "
            + "not \(kind.shown)",
          at: offset
        )
      } else {
        finding =
          switch kind {
          case "member-of-another-cluster": .memberOfAnotherCluster
          case "microk8s-missing": .microK8sMissing
          case "not-ready": .notReady
          case "not-permitted": .notPermitted
          default: .unreachable
          }
      }
    case nil: break
    }
    guard let name, let finding else { return nil }
    let probe = NodeProbe(name: name, finding: finding, hostname: hostname, identity: identity)
    return (probe, value.offset)
  }

  // MARK: - Reporting

  func quoted(_ path: String) -> String {
    path == "the snapshot" ? path : "'\(path)'"
  }

  mutating func error(_ message: String, at offset: Int, note: (Int, String)? = nil) {
    problems.append(
      SnapshotProblem(
        offset: offset,
        message: message,
        notes: note.map { [(offset: $0.0, message: $0.1)] } ?? []
      )
    )
  }
}
