import MembershipCore

/// A MicroK8s command on a node failed: the node could not be reached, the command did
/// not finish, or MicroK8s reported a failure mktopo recognises (or output it does not).
///
/// The message names the node, the command as `Invocation.display` shows it (a join
/// token is never in it), what happened and what to do.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Cause: Sendable, Equatable {
    /// The transport could not report an outcome of the command's own.
    case transport(TransportError)
    /// The command ran, and its output says it failed.
    case microK8s(MicroK8sFailure)
  }

  /// The node the command ran on, as the topology names it.
  public var host: String
  /// The command, as messages show it.
  public var command: String
  public var cause: Cause
  /// The cluster's track, for remedies that name a snap channel.
  public var track: Track?

  public init(host: String, command: String, cause: Cause, track: Track? = nil) {
    self.host = host
    self.command = command
    self.cause = cause
    self.track = track
  }

  /// Nothing is known of the host: it could not be reached (or refused us).
  ///
  /// Unknown is never gone (DESIGN.md section 3).
  public var isUnreachable: Bool {
    if case .transport(let error) = cause { return error.isUnreachable }
    return false
  }

  /// Whether trying again (with a fresh token, for a join) may succeed.
  public var isTransient: Bool {
    switch cause {
    case .transport(let error):
      switch error.reason {
      case .unreachable, .timedOut: return true
      case .hostKeyRejected, .authenticationRejected, .cannotLaunch, .outputTooLarge, .cancelled:
        return false
      }
    case .microK8s(let failure): return failure.isTransient
    }
  }

  /// The MicroK8s failure, when the command ran and reported one.
  public var failure: MicroK8sFailure? {
    if case .microK8s(let failure) = cause { return failure }
    return nil
  }

  public var description: String {
    switch cause {
    case .transport(let error):
      return error.description
    case .microK8s(let failure):
      let remedy = failure.remedy(track: track)
      return Redaction.redact(
        "\(host): '\(command)': \(failure.summary)" + (remedy.isEmpty ? "" : "\n" + remedy)
      )
    }
  }
}
