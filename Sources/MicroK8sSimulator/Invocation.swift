/// One `microk8s ARGS...` command run on one simulated host.
public struct Invocation: Sendable, Equatable {
  /// The address of the host the command runs on.
  public var host: String
  /// The arguments after `microk8s`.
  public var arguments: [String]
  /// Wall-clock time, in seconds since the Unix epoch.
  public var now: Double
  /// The login name MicroK8s messages mention (the permissions hint, contract §1).
  public var user: String

  public init(host: String, arguments: [String], now: Double, user: String = "ubuntu") {
    self.host = host
    self.arguments = arguments
    self.now = now
    self.user = user
  }
}
