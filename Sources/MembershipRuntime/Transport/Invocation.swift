/// One command to run on a node, with what may be shown of it.
public struct Invocation: Sendable, Equatable {
  /// The command as it runs on the node: program and arguments, never through a shell.
  ///
  /// Must not appear in any message: it may carry secrets.
  public var argv: [String]
  /// The command as messages show it, such as `microk8s join 10.0.0.1:25000/<token>`.
  public var display: String
  /// How long the command may run before its whole process tree is killed.
  public var timeout: Duration
  /// Text written to the command's standard input; nil connects it to /dev/null.
  public var standardInput: String?
  /// Strings that must never appear in a message, such as a join token.
  ///
  /// The transport removes them from any output it quotes in an error (a program may
  /// echo its arguments to standard error). `display` must already leave them out.
  public var secrets: [String]
  /// The most each of standard output and standard error may hold; beyond it the
  /// command is stopped and `TransportError.Reason.outputTooLarge` thrown.
  public var outputLimit: Int

  /// 8 MiB: far above any MicroK8s output (a `kubectl get nodes -o json` of a large
  /// cluster is a few hundred KiB), low enough that a runaway command cannot exhaust
  /// memory.
  public static let defaultOutputLimit = 8 * 1024 * 1024

  /// Creates an invocation; without `display`, messages show the argv joined by spaces.
  ///
  /// Either way the shown text is redacted again: every secret becomes `<redacted>` and
  /// anything token-shaped `<token>` (`MembershipCore.Redaction`).
  public init(
    _ argv: [String],
    display: String? = nil,
    timeout: Duration,
    standardInput: String? = nil,
    secrets: [String] = [],
    outputLimit: Int = Invocation.defaultOutputLimit
  ) {
    self.argv = argv
    self.secrets = secrets.filter { !$0.isEmpty }
    self.display = OutputExcerpt.redact(display ?? argv.joined(separator: " "), self.secrets)
    self.timeout = timeout
    self.standardInput = standardInput
    self.outputLimit = outputLimit
  }
}
