/// How mktopo reaches a node to run commands on it.
public struct Connection: Sendable, Equatable {
  public var type: ConnectionType
  public var user: String?
  public var port: Int?
  public var identityFile: String?
  public var proxyJump: String?
  public var knownHostsFile: String?
  public var hostKeyChecking: HostKeyChecking
  /// For `exec`: the argv prefix, with `{name}` and `{address}` placeholders.
  public var command: [String]?

  public init(
    type: ConnectionType = .ssh,
    user: String? = nil,
    port: Int? = nil,
    identityFile: String? = nil,
    proxyJump: String? = nil,
    knownHostsFile: String? = nil,
    hostKeyChecking: HostKeyChecking = .strict,
    command: [String]? = nil
  ) {
    self.type = type
    self.user = user
    self.port = port
    self.identityFile = identityFile
    self.proxyJump = proxyJump
    self.knownHostsFile = knownHostsFile
    self.hostKeyChecking = hostKeyChecking
    self.command = command
  }
}

public enum ConnectionType: String, Sendable, Hashable, CaseIterable, Codable {
  /// The system OpenSSH client.
  case ssh
  /// This machine.
  case local
  /// An argv prefix such as `multipass exec {name} --`.
  case exec
}

/// The ssh host key policy.
///
/// There is deliberately no "off": an unknown or changed key always stops the connection.
public enum HostKeyChecking: String, Sendable, Hashable, CaseIterable, Codable {
  case strict
  case acceptNew = "accept-new"
}
