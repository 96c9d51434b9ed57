/// Runs commands through an argv prefix, such as `["lxc", "exec", "{name}", "--"]`.
///
/// The prefix comes from the connection's `command`, with `{name}` and `{address}`
/// already expanded; the command is appended as further arguments, never through a
/// shell. Exit status 255 is reported as unreachable, as ssh's is.
public struct ExecTransport: Transport {
  public let host: String
  /// The expanded prefix, such as `["lxc", "exec", "node1", "--"]`.
  public let prefix: [String]

  public init(host: String, prefix: [String]) {
    self.host = host
    self.prefix = prefix
  }

  public func run(_ invocation: Invocation) async throws(TransportError) -> CommandResult {
    let result = try await ChildProcess.run(
      prefix + invocation.argv,
      for: invocation,
      host: host
    )
    try ExitStatus.check(result, of: invocation, on: host)
    return result
  }
}
