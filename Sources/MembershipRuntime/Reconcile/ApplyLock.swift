import Glibc
import MembershipCore

/// The exclusive right to change one cluster's membership, held for as long as this value
/// lives: a second `apply` (or a daemon) on the same cluster refuses and names the holder.
///
/// It is a `flock` on `<state>/<cluster>.lock`. The kernel drops a flock when its holder
/// dies, however it dies, so a lock left by a crashed or killed mktopo is taken over by
/// the next one without anyone cleaning up. The file only says who holds the lock; it is
/// never deleted, because a process waiting on the old file would then lock a file that
/// no longer has a name while a third process locks a new one.
///
/// Noncopyable, so it has a strict lexical lifetime: `let lock = try ApplyLock.acquire(…)`
/// holds the lock until the end of its scope (or `release()`), never only until its
/// last use, as a class reference might under optimisation.
public struct ApplyLock: ~Copyable {
  /// Who holds a lock someone else asked for, as its holder wrote it in the lock file.
  public struct Holder: Sendable, Equatable {
    public var cluster: String
    public var lockFile: String
    /// Nil when the file is empty or garbled: the holder may have died between taking
    /// the lock and writing it, or the file may come from another tool.
    public var pid: Int32?
    public var host: String?
    public var since: String?
    public var command: String?
  }

  /// Why the lock was not taken.
  public enum Refusal: Error, CustomStringConvertible {
    /// Another process (or another acquisition in this one) holds the lock.
    case held(Holder)
    /// The state directory or the lock file cannot be created or opened.
    case unusable(path: String, reason: String)

    public var description: String {
      switch self {
      case .held(let holder): Self.describe(holder)
      case .unusable(let path, let reason): "cannot use the lock file \(path): \(reason)"
      }
    }

    private static func describe(_ holder: Holder) -> String {
      let command = holder.command.map(shown) ?? "process"
      var who: [String] = []
      if let pid = holder.pid { who.append("pid \(pid)") }
      if let host = holder.host { who.append("on host \(shown(host))") }
      var holderText = who.joined(separator: " ")
      if let since = holder.since {
        holderText += (holderText.isEmpty ? "" : ", ") + "since \(shown(since))"
      }
      if holderText.isEmpty { holderText = "the holder did not record itself" }
      if holder.cluster == ApplyLock.daemonScope {
        return "another mktopo reconcile daemon uses this state directory: \(holderText) "
          + "(\(holder.lockFile)). One daemon per state directory: stop it first, or give "
          + "this one another --state-dir."
      }
      return "another mktopo \(command) holds the lock on cluster \(holder.cluster): "
        + "\(holderText) (\(holder.lockFile)). Wait for it to finish, or if no such "
        + "process is running on that host, remove the file."
    }

    /// The lock file is anyone's to write, so what it says is redacted and made safe for
    /// a terminal before it reaches one.
    private static func shown(_ text: String) -> String {
      Redaction.excerpt(text, limit: 200).replacing("\n", with: " ")
    }
  }

  /// The lock file's path.
  public let path: String
  private let descriptor: Int32

  /// Takes the lock on `cluster` without waiting, creating the state directory (mode
  /// 0700) if needed, and records this process as its holder.
  ///
  /// - Parameter command: the mktopo command holding the lock, as its message names it.
  public static func acquire(
    stateDirectory: String,
    cluster: String,
    command: String = "apply"
  ) throws(Refusal) -> ApplyLock {
    let path = StateFiles.path(stateDirectory, cluster + ".lock")
    guard StateFiles.isUsableFileName(cluster) else {
      throw .unusable(path: path, reason: "the cluster name \(cluster) cannot name a file")
    }
    if let reason = StateFiles.createDirectory(stateDirectory) {
      throw .unusable(path: path, reason: "cannot create the state directory: \(reason)")
    }
    // O_CLOEXEC: a child (ssh, microk8s) must not keep the lock alive after we exit.
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw .unusable(path: path, reason: StateFiles.lastError()) }
    var locked = flock(descriptor, LOCK_EX | LOCK_NB)
    while locked != 0, errno == EINTR { locked = flock(descriptor, LOCK_EX | LOCK_NB) }
    if locked != 0 {
      let busy = errno == EWOULDBLOCK
      let reason = StateFiles.lastError()
      let contents = busy ? readAll(descriptor) : ""
      close(descriptor)
      guard busy else { throw .unusable(path: path, reason: reason) }
      throw .held(holder(parsing: contents, cluster: cluster, lockFile: path))
    }
    let record = holderLine(command: command)
    guard writeAll(record, to: descriptor), fsync(descriptor) == 0 else {
      let reason = StateFiles.lastError()
      close(descriptor)
      throw .unusable(path: path, reason: "cannot record the holder: \(reason)")
    }
    return ApplyLock(path: path, descriptor: descriptor)
  }

  /// The name of the daemon's lock: not a DNS label, so no cluster's lock can have it.
  static let daemonScope = "reconcile.daemon"

  /// Takes the reconcile daemon's lock on the state directory, held for its life.
  ///
  /// The daemon owns the git clone, the status file and the suspend file there. Each
  /// pass also takes its cluster's lock, so an `apply` and a pass never overlap.
  public static func acquireDaemon(stateDirectory: String) throws(Refusal) -> ApplyLock {
    try acquire(stateDirectory: stateDirectory, cluster: daemonScope, command: "reconcile")
  }

  /// Gives the lock up now rather than when the value goes away.
  public consuming func release() {}

  deinit {
    // Emptied while still held, so nobody reads a finished run as the holder; a waiter
    // only ever sees a file that is empty or names a live holder.
    _ = ftruncate(descriptor, 0)
    _ = flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  // MARK: - The holder record

  /// One line of JSON: `{"pid": N, "host": "…", "since": "…", "command": "…"}`.
  static func holderLine(command: String) -> String {
    "{\"pid\": \(getpid()), \"host\": \(DiagnosticJSON.quote(hostName())), "
      + "\"since\": \(DiagnosticJSON.quote(UTCTimestamp.now())), "
      + "\"command\": \(DiagnosticJSON.quote(command))}\n"
  }

  static func holder(parsing text: String, cluster: String, lockFile: String) -> Holder {
    var holder = Holder(cluster: cluster, lockFile: lockFile)
    guard let record = try? JSONParser.parse(text) else { return holder }
    if case .number(let digits) = record["pid"]?.kind { holder.pid = Int32(digits) }
    holder.host = record["host"]?.string
    holder.since = record["since"]?.string
    holder.command = record["command"]?.string
    return holder
  }

  private static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Replaces the file's contents: truncates, then writes from the start.
  private static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
    guard ftruncate(descriptor, 0) == 0 else { return false }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        pwrite(
          descriptor,
          buffer.baseAddress.map { $0 + offset },
          bytes.count - offset,
          off_t(offset)
        )
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return false }
      offset += count
    }
    return true
  }

  /// The holder record is one short line; more than 4 KiB is not one.
  private static func readAll(_ descriptor: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 4096)
    var count = 0
    while count < buffer.count {
      let read = buffer.withUnsafeMutableBytes { raw in
        pread(descriptor, raw.baseAddress.map { $0 + count }, raw.count - count, off_t(count))
      }
      if read < 0, errno == EINTR { continue }
      guard read > 0 else { break }
      count += read
    }
    return String(decoding: buffer[0..<count], as: UTF8.self)
  }
}
