import Glibc
import MembershipCore

/// Records the change and step in flight in `<state>/<cluster>.journal.json`, so that
/// after a crash or an interrupt the operator (and the next run) can see what was under
/// way (DESIGN.md section 5).
///
/// The journal is a diagnostic, not the source of truth: the reconciler re-observes the
/// cluster before every change, so a lost or stale journal costs nothing but the message.
public struct Journal: Sendable {
  /// Why the journal could not be written or cleared.
  public enum Failure: Error, CustomStringConvertible {
    /// A field looks like a join token; its value is deliberately not repeated.
    case tokenShaped(field: String)
    case cannotWrite(path: String, reason: String)
    case cannotClear(path: String, reason: String)

    public var description: String {
      switch self {
      case .tokenShaped(let field):
        "refusing to journal a step whose \(field) looks like a join token"
      case .cannotWrite(let path, let reason): "cannot write the journal \(path): \(reason)"
      case .cannotClear(let path, let reason): "cannot remove the journal \(path): \(reason)"
      }
    }
  }

  public let stateDirectory: String
  /// The journal file's path.
  public let path: String

  /// The cluster whose changes it records.
  public let cluster: String

  public init(stateDirectory: String, cluster: String) {
    self.stateDirectory = stateDirectory
    self.cluster = cluster
    path = StateFiles.path(stateDirectory, cluster + ".journal.json")
  }

  /// Replaces the journal with `entry`, atomically: a reader sees the previous entry or
  /// this one, never half of either.
  public func record(_ entry: JournalEntry) throws(Failure) {
    // Defence in depth: the executor never puts a token here, but a token that slipped
    // into a node name or a verb would otherwise sit on disk until the next run.
    for field in entry.textFields where Redaction.redact(field.value) != field.value {
      throw .tokenShaped(field: field.name)
    }
    if let reason = StateFiles.createDirectory(stateDirectory) {
      throw .cannotWrite(path: path, reason: "cannot create the state directory: \(reason)")
    }
    do {
      try OutputFile.write(entry.json.rendered(), to: path)
    } catch {
      throw .cannotWrite(path: path, reason: error.reason)
    }
  }

  /// Records that step `index` (from 1) of `change` is about to run, now.
  public func record(_ step: Step, index: Int, of change: Change) throws(Failure) {
    try record(
      JournalEntry(
        cluster: cluster,
        action: change.action.rawValue,
        node: change.node,
        stepIndex: index,
        stepCount: change.steps.count,
        verb: step.verb.rawValue,
        host: step.host,
        startedAt: UTCTimestamp.now()
      )
    )
  }

  /// Removes the journal: nothing is in flight.
  ///
  /// Removing an absent journal succeeds.
  public func clear() throws(Failure) {
    guard unlink(path) == 0 || errno == ENOENT else {
      throw .cannotClear(path: path, reason: StateFiles.lastError())
    }
  }

  /// The entry in flight; nil when there is none, or when the file is unreadable or not
  /// a journal (a damaged journal must not stop a run that would repair the cluster).
  public func read() -> JournalEntry? {
    guard let bytes = try? SourceFile.read(path, limit: 64 * 1024), bytes.count <= 64 * 1024
    else { return nil }
    return JournalEntry(json: String(decoding: bytes, as: UTF8.self))
  }
}
