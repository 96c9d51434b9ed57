/// What one command printed and how it ended.
public struct CommandOutcome: Sendable, Equatable {
  public var stdout: String
  public var stderr: String
  public var exitCode: Int32
  /// Seconds the process waits, after releasing the state lock, before it answers: how
  /// `status --wait-ready` waits and how the `hang` fault never answers in time.
  public var pause: Double

  public init(stdout: String = "", stderr: String = "", exitCode: Int32, pause: Double = 0) {
    self.stdout = stdout
    self.stderr = stderr
    self.exitCode = exitCode
    self.pause = pause
  }

  /// A failure of the simulator itself (usage, state file), on standard error.
  public static func simulatorError(_ message: String, exitCode: Int32) -> CommandOutcome {
    CommandOutcome(stderr: "microk8s-sim: \(message)\n", exitCode: exitCode)
  }
}
