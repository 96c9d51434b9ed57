/// How a command that ran on a node ended.
public struct CommandResult: Sendable, Equatable {
  public var status: Status
  public var standardOutput: String
  public var standardError: String
  /// Wall-clock time from launch to exit, including connecting for ssh.
  public var elapsed: Duration

  public init(status: Status, standardOutput: String, standardError: String, elapsed: Duration) {
    self.status = status
    self.standardOutput = standardOutput
    self.standardError = standardError
    self.elapsed = elapsed
  }

  /// Exited with status 0.
  public var succeeded: Bool { status == .exited(0) }

  /// The exit status or the signal that ended the command.
  public enum Status: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let code): "exited \(code)"
      case .signaled(let signal): "was killed by signal \(signal)"
      }
    }
  }
}
