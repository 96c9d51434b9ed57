/// Running a command on a node failed before it could report an outcome of its own.
///
/// The message names the node and `Invocation.display`, never the argv.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The node, as `Transport.host` names it.
  public var host: String
  /// The command, as `Invocation.display` shows it.
  public var command: String
  public var reason: Reason

  public init(host: String, command: String, reason: Reason) {
    self.host = host
    self.command = command
    self.reason = reason
  }

  public enum Reason: Sendable, Equatable {
    /// Exit status 255: ssh could not connect, or a local or exec prefix reported the
    /// host down. The detail is the tail of standard error, secrets removed.
    case unreachable(detail: String)
    /// ssh refused the host's key: unknown under `strict`, or different from
    /// known_hosts (a reinstalled host, or someone in the middle).
    case hostKeyRejected(detail: String)
    /// ssh reached the host, but the host accepted none of our keys.
    case authenticationRejected(detail: String)
    /// Still running at the timeout; the whole process tree was killed.
    case timedOut(after: Duration)
    /// The local program (ssh, the exec prefix's program or the command) could not start.
    case cannotLaunch(executable: String, detail: String)
    /// More than `limit` bytes on one stream; the command was stopped.
    case outputTooLarge(stream: Stream, limit: Int)
    /// The caller's task was cancelled; the command was stopped.
    case cancelled
  }

  public enum Stream: String, Sendable, Equatable {
    case standardOutput = "standard output"
    case standardError = "standard error"
  }

  /// The host could not be reached at all, so nothing is known about its state.
  public var isUnreachable: Bool {
    switch reason {
    case .unreachable, .hostKeyRejected, .authenticationRejected: true
    case .timedOut, .cannotLaunch, .outputTooLarge, .cancelled: false
    }
  }

  public var description: String {
    let subject = "\(host): '\(command)'"
    switch reason {
    case .unreachable(let detail):
      return "\(host): cannot reach the host to run '\(command)' (exit status 255)"
        + Self.quoted(detail)
        + "\nCheck that the host is up and that its address, port, user and proxyJump are "
        + "right; a command that itself exits 255 is reported the same way."
    case .hostKeyRejected(let detail):
      return "\(host): refused to run '\(command)': host key verification failed"
        + Self.quoted(detail)
        + "\nThe host's key is unknown or differs from known_hosts. Verify the key out of "
        + "band, then add it to known_hosts (after 'ssh-keygen -R HOST' if the host was "
        + "reinstalled), or set 'hostKeyChecking: accept-new' to trust a first key."
    case .authenticationRejected(let detail):
      return "\(host): cannot run '\(command)': the host accepted none of our ssh keys"
        + Self.quoted(detail)
        + "\nCheck the connection's user and identityFile, and that the public key is in "
        + "the user's ~/.ssh/authorized_keys on the host."
    case .timedOut(let after):
      return "\(subject) did not finish within \(Self.format(after)); it was stopped, "
        + "with every process it started. Check the host, or allow more time."
    case .cannotLaunch(let executable, let detail):
      return "\(host): cannot run '\(command)': cannot start '\(executable)': \(detail)"
        + "\nInstall it or put its directory on PATH."
    case .outputTooLarge(let stream, let limit):
      return "\(subject) wrote more than \(Self.format(bytes: limit)) to \(stream.rawValue); "
        + "it was stopped. This is not what the command normally prints: check the host."
    case .cancelled:
      return "\(subject) was interrupted; it was stopped, with every process it started."
    }
  }

  private static func quoted(_ detail: String) -> String {
    guard !detail.isEmpty else { return "." }
    return ":\n  " + detail.split(separator: "\n").joined(separator: "\n  ")
  }

  /// `90s` → `1m30s`, `500ms` → `500ms`: the units a topology file's timeouts use.
  static func format(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    if milliseconds < 1000 || milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
    let total = milliseconds / 1000
    let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
    var text = ""
    if hours > 0 { text += "\(hours)h" }
    if minutes > 0 { text += "\(minutes)m" }
    if rest > 0 || text.isEmpty { text += "\(rest)s" }
    return text
  }

  static func format(bytes: Int) -> String {
    if bytes >= 1024 * 1024, bytes % (1024 * 1024) == 0 { return "\(bytes / 1024 / 1024) MiB" }
    if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
    return "\(bytes) bytes"
  }
}
