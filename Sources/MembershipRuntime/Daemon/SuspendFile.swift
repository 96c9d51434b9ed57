import Glibc
import MembershipCore

/// The file whose presence suspends the reconcile daemon: `<state>/reconcile.suspend`.
///
/// A file rather than a signal or a socket, so that suspending survives a restart of
/// the daemon, works for `--once` runs started by a timer, and can be done by anyone
/// with write access to the state directory (`touch` will do; `mktopo reconcile
/// --suspend` also records who and why). Deleting it resumes.
public enum SuspendFile {
  public static func path(in stateDirectory: String) -> String {
    StateFiles.path(stateDirectory, "reconcile.suspend")
  }

  public static func isPresent(in stateDirectory: String) -> Bool {
    var info = stat()
    return stat(path(in: stateDirectory), &info) == 0
  }

  /// What the file says: its reason and when it was written, if `--suspend` wrote it.
  public static func describe(in stateDirectory: String) -> String? {
    guard let bytes = try? SourceFile.read(path(in: stateDirectory), limit: 4096),
      let record = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self))
    else { return nil }
    var parts: [String] = []
    if let reason = record["reason"]?.string, !reason.isEmpty { parts.append(reason) }
    if let since = record["since"]?.string { parts.append("since \(since)") }
    if let host = record["host"]?.string { parts.append("on \(host)") }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  /// Creates the file (and the state directory), recording the reason and the time.
  public static func create(
    in stateDirectory: String,
    reason: String?
  ) throws(OutputFile.WriteError) {
    if let problem = StateFiles.createDirectory(stateDirectory) {
      throw OutputFile.WriteError(path: path(in: stateDirectory), reason: problem)
    }
    let record = JSONValue.object([
      ("since", .string(UTCTimestamp.now())),
      ("reason", reason.map(JSONValue.string) ?? .null),
    ])
    try OutputFile.write(record.rendered(), to: path(in: stateDirectory))
  }

  /// Removes the file; true if there was one.
  public static func remove(in stateDirectory: String) throws(OutputFile.WriteError) -> Bool {
    let file = path(in: stateDirectory)
    if unlink(file) == 0 { return true }
    if errno == ENOENT { return false }
    throw OutputFile.WriteError(path: file, reason: StateFiles.lastError())
  }
}
