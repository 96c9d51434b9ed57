/// The observed-state snapshot: an `ObservedCluster` saved as JSON.
///
/// `mktopo observe` writes one and `mktopo plan --observed SNAPSHOT.json` reads it, so a
/// plan can be made offline (in CI, against the last observed state). The normative
/// reference is `schema/observed.schema.json`; in short:
///
/// ```json
/// {
///   "formatVersion": 1,
///   "cluster": "homelab",
///   "contact": "node1",
///   "nodes": [
///     {"name": "node1", "internalIP": "192.168.1.10", "role": "mixed", "ready": true,
///      "kubeletVersion": "v1.28.3"}
///   ],
///   "datastore": [
///     {"address": "192.168.1.10:19001", "role": "voter"}
///   ],
///   "probes": [
///     {"name": "node4", "finding": "standalone", "track": "1.28"}
///   ],
///   "unreachable": ["node3"]
/// }
/// ```
///
/// - `formatVersion` (required): exactly `1`.
/// - `cluster` (optional): the topology's cluster name when the snapshot was taken; not
///   part of `ObservedCluster`, so it is not part of the fingerprint either.
/// - `contact` (required, string or null): the node the cluster was read through; it must
///   be one of `nodes`, and is never `unreachable`.
/// - `nodes` (required): Kubernetes nodes; `name` (lowercase DNS name, unique),
///   `internalIP` (address or null), `role` (`mixed`, `worker` or null), `ready`,
///   `kubeletVersion`.
/// - `datastore` (required): dqlite members; `address` is `IP:PORT` (IPv6 as
///   `[ADDR]:PORT`, unique), `role` is `voter`, `standby` or `spare`.
/// - `probes` (required): listed non-members; `name` (unique, not one of `nodes`),
///   `finding` (`standalone` with `track`, `member-of-another-cluster`,
///   `microk8s-missing`, `low-memory-guard`, `not-permitted`, `not-ready`, `unreachable`).
/// - `unreachable` (required): names that did not answer, unique; none of them may have
///   a probe finding other than `unreachable`.
///
/// Every key is checked: unknown, missing and duplicate keys are errors, as are values
/// of the wrong type. Decoding is pure (the caller reads the file) and never traps.
public enum ObservedSnapshot {
  /// The only `formatVersion` this build reads and writes.
  public static let formatVersion = 1

  /// Files larger than this are refused before parsing: 10,000 nodes take about 1.5 MB.
  public static let maxFileSize = 16 * 1024 * 1024

  /// Past this many diagnostics a snapshot is beyond help; the rest are summarised.
  public static let maxDiagnostics = 1000

  /// Reads a snapshot; every problem becomes a diagnostic at its `file:line:column`.
  public static func decode(_ bytes: [UInt8], file: String) -> ObservedSnapshotLoad {
    bytes.withUnsafeBufferPointer { decode($0, file: file) }
  }

  public static func decode(
    _ bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> ObservedSnapshotLoad {
    if bytes.count > maxFileSize {
      return failure(
        "the file is larger than \(maxFileSize) bytes (16 MiB), the limit for an observed "
          + "snapshot",
        file: file,
        at: .start
      )
    }
    if let offset = SourceText.firstInvalidUTF8Offset(bytes) {
      let byte = String(bytes[offset], radix: 16, uppercase: true)
      return failure(
        "the file is not valid UTF-8 (byte 0x\(byte) at offset \(offset))",
        file: file,
        at: SourceText.position(ofByte: offset, in: bytes)
      )
    }
    // RFC 8259 lets a parser ignore a byte-order mark; editors on Windows add one.
    var bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes = UnsafeBufferPointer(rebasing: bytes[3...])
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      return failure(
        "the file is empty; expected a JSON object",
        file: file,
        at: SourcePosition(line: 1, column: 1)
      )
    }
    let root: ParsedJSON
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      return failure(
        "invalid JSON: " + error.message,
        file: file,
        at: SourceText.position(ofByte: error.offset, in: bytes)
      )
    }
    var decoder = SnapshotDecoder()
    let decoded = decoder.decodeRoot(root)
    let diagnostics = resolve(decoder.problems, in: bytes, file: file)
    guard !diagnostics.containsErrors, let decoded else {
      return ObservedSnapshotLoad(cluster: nil, observed: nil, diagnostics: diagnostics)
    }
    return ObservedSnapshotLoad(
      cluster: decoded.cluster,
      observed: decoded.observed,
      diagnostics: diagnostics
    )
  }

  private static func failure(
    _ message: String,
    file: String,
    at position: SourcePosition
  ) -> ObservedSnapshotLoad {
    ObservedSnapshotLoad(
      cluster: nil,
      observed: nil,
      diagnostics: [.error(message, file: file, at: position)]
    )
  }

  /// Turns byte offsets into positions in one pass over the file, sorted and capped.
  ///
  /// One pass, not one per problem: a 16 MiB file with a thousand problems would
  /// otherwise be scanned a thousand times.
  private static func resolve(
    _ problems: [SnapshotProblem],
    in bytes: UnsafeBufferPointer<UInt8>,
    file: String
  ) -> [Diagnostic] {
    let positions = SourceText.positions(
      ofBytes: problems.flatMap { [$0.offset] + $0.notes.map(\.offset) },
      in: bytes
    )
    let sorted = problems.enumerated().sorted { lhs, rhs in
      lhs.element.offset == rhs.element.offset
        ? lhs.offset < rhs.offset : lhs.element.offset < rhs.element.offset
    }.map(\.element)
    var diagnostics = sorted.prefix(maxDiagnostics).map { problem in
      Diagnostic.error(
        problem.message,
        file: file,
        at: positions[problem.offset],
        notes: problem.notes.map { .note($0.message, file: file, at: positions[$0.offset]) }
      )
    }
    if sorted.count > maxDiagnostics {
      let hidden = sorted.count - maxDiagnostics
      diagnostics.append(.error("too many problems; \(hidden) more not shown", file: file))
    }
    return diagnostics
  }
}

/// The result of decoding one observed snapshot.
public struct ObservedSnapshotLoad: Sendable {
  /// The snapshot's `cluster` key: the topology's cluster name when it was taken.
  public var cluster: String?
  /// Present only when there is no error.
  public var observed: ObservedCluster?
  /// Every problem found, in file order.
  public var diagnostics: [Diagnostic]

  public var isValid: Bool { observed != nil }
}

/// A problem found while decoding, at a byte offset not yet turned into a position.
struct SnapshotProblem {
  var offset: Int
  var message: String
  /// Related places, such as the first of two duplicates.
  var notes: [(offset: Int, message: String)] = []
}
