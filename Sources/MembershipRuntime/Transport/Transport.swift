/// Runs one command on one node.
///
/// The only place in the program that reaches a node. A transport never shows an
/// invocation's argv: errors and messages use `Invocation.display`, because argv may carry
/// a join token.
public protocol Transport: Sendable {
  /// The node this transport reaches, as messages name it.
  var host: String { get }

  /// Runs `invocation.argv` on the node and returns how it ended.
  ///
  /// A command that runs and exits non-zero is a result, not an error. Errors are the
  /// cases where the command's own outcome is unknown: the host could not be reached
  /// (exit 255), the command was stopped at its timeout, it could not be started, or it
  /// wrote more than the output limit.
  func run(_ invocation: Invocation) async throws(TransportError) -> CommandResult
}
