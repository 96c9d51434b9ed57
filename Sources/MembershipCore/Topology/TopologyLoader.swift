/// The result of loading one topology file.
public struct TopologyLoad: Sendable {
  /// Present only when there is no error; warnings may accompany it.
  public var topology: Topology?
  /// Every problem found, in file order.
  public var diagnostics: [Diagnostic]

  public var isValid: Bool { topology != nil }
}

/// Turns the bytes of a topology file into a `Topology` plus diagnostics.
///
/// Pure: the caller reads the file. Never traps on malformed input; every problem
/// becomes a positioned diagnostic.
public enum TopologyLoader {
  /// Files larger than this are refused before parsing.
  public static let maxFileSize = 4 * 1024 * 1024

  /// Past this many diagnostics a file is beyond help; the rest are summarised.
  public static let maxDiagnostics = 1000

  public static func load(_ bytes: [UInt8], file: String) -> TopologyLoad {
    bytes.withUnsafeBufferPointer { load($0, file: file) }
  }

  public static func load(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> TopologyLoad {
    if bytes.count > maxFileSize {
      return TopologyLoad(
        topology: nil,
        diagnostics: [
          .error(
            "the file is larger than \(maxFileSize) bytes (4 MiB), the limit for a topology "
              + "file",
            file: file,
            at: .start
          )
        ]
      )
    }
    if let offset = SourceText.firstInvalidUTF8Offset(bytes) {
      let byte = String(bytes[offset], radix: 16, uppercase: true)
      return TopologyLoad(
        topology: nil,
        diagnostics: [
          .error(
            "the file is not valid UTF-8 (byte 0x\(byte) at offset \(offset)); save it as UTF-8",
            file: file,
            at: SourceText.position(ofByte: offset, in: bytes)
          )
        ]
      )
    }
    // libyaml only skips a byte-order mark when it detects the encoding itself, and we
    // fix the encoding to UTF-8; columns on line 1 do not count the mark either way.
    var bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes = UnsafeBufferPointer(rebasing: bytes[3...])
    }
    let document: YAMLDocument
    switch YAMLDocument.load(bytes, file: file) {
    case .success(let loaded): document = loaded
    case .failure(let list): return TopologyLoad(topology: nil, diagnostics: list.diagnostics)
    }
    // Only a `*` can introduce an alias; most files have none and skip the pass.
    if SourceText.contains(UInt8(ascii: "*"), in: bytes),
      let problem = AliasBudget.check(document, file: file)
    {
      return TopologyLoad(topology: nil, diagnostics: [problem])
    }
    var decoder = TopologyDecoder(document: document, file: file)
    decoder.decode()
    let diagnostics = finish(
      decoder.diagnostics + TopologyValidator.validate(decoder.draft, file: file),
      file: file
    )
    let topology = diagnostics.containsErrors ? nil : build(decoder.draft)
    return TopologyLoad(topology: topology, diagnostics: diagnostics)
  }

  /// In file order, without repeats (a merged mapping is read once per merge), capped.
  private static func finish(_ diagnostics: [Diagnostic], file: String) -> [Diagnostic] {
    var seen = Set<Diagnostic>()
    var unique = diagnostics.filter { seen.insert($0).inserted }
    // Stable sort by position: equal positions keep the order they were found in.
    unique = unique.enumerated().sorted { lhs, rhs in
      let left = lhs.element.position ?? .start
      let right = rhs.element.position ?? .start
      return left == right ? lhs.offset < rhs.offset : left < right
    }.map(\.element)
    guard unique.count > maxDiagnostics else { return unique }
    let hidden = unique.count - maxDiagnostics
    return Array(unique.prefix(maxDiagnostics)) + [
      .error("too many problems; \(hidden) more not shown", file: file, at: nil)
    ]
  }

  private static func build(_ draft: TopologyDraft) -> Topology? {
    guard let name = draft.clusterName, let version = draft.clusterVersion else { return nil }
    let defaultMicroK8s = draft.defaultMicroK8s ?? NodeSpec.defaultMicroK8s
    let defaultConnection = draft.defaultConnection.resolved
    var nodes: [NodeSpec] = []
    nodes.reserveCapacity(draft.nodes.count)
    // Moved out, not copied: the draft is not used again.
    var draft = draft
    let drafts = draft.nodes
    draft.nodes = []
    for (index, node) in drafts.enumerated() {
      guard let nodeName = node.name else { return nil }
      nodes.append(
        NodeSpec(
          name: nodeName,
          address: node.address,
          role: node.effectiveRole,
          version: node.version ?? version,
          state: node.effectiveState,
          connection: draft.nodeConnections[index].map {
            $0.merged(over: draft.defaultConnection).resolved
          } ?? defaultConnection,
          microk8s: node.microk8s ?? defaultMicroK8s,
          snap: node.snap ?? draft.defaultSnap,
          positions: node.positions
        )
      )
    }
    return Topology(
      cluster: ClusterSpec(
        name: name,
        version: version,
        position: draft.clusterPosition,
        namePosition: draft.clusterNamePosition,
        versionPosition: draft.clusterVersionPosition
      ),
      policy: draft.policy,
      nodes: nodes
    )
  }
}
