/// What one command printed and how it ended.
public struct CommandOutcome: Sendable, Equatable {
  public var stdout: String
  public var stderr: String
  public var exitCode: Int32
  /// Seconds the process waits, after releasing the state lock, before it answers: how
  /// `status --wait-ready` waits and how the `hang` fault never answers in time.
  public var pause: Double

  /// The longest pause: a wait without end (`hang`, `--wait-ready` without a timeout) or
  /// with a timeout of any length (`--timeout 99999999999999999999`) sleeps an hour, so
  /// that a number from the command line never reaches the sleep's arithmetic.
  public static let longestPause: Double = 3600

  public init(stdout: String = "", stderr: String = "", exitCode: Int32, pause: Double = 0) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitCode = exitCode
    self.pause = pause.isNaN ? 0 : min(max(pause, 0), Self.longestPause)
  }

  /// A failure of the simulator itself (usage, state file), on standard error.
  public static func simulatorError(_ message: String, exitCode: Int32) -> CommandOutcome {
    CommandOutcome(stderr: "microk8s-sim: \(message)\n", exitCode: exitCode)
  }
}
