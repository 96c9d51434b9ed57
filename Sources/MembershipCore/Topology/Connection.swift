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
  /// Where each field was written: in the node's own block or in `defaults.connection`.
  public var positions: Positions

  public init(
    type: ConnectionType = .ssh,
    user: String? = nil,
    port: Int? = nil,
    identityFile: String? = nil,
    proxyJump: String? = nil,
    knownHostsFile: String? = nil,
    hostKeyChecking: HostKeyChecking = .strict,
    command: [String]? = nil,
    positions: Positions = .none
  ) {
    self.type = type
    self.user = user
    self.port = port
    self.identityFile = identityFile
    self.proxyJump = proxyJump
    self.knownHostsFile = knownHostsFile
    self.hostKeyChecking = hostKeyChecking
    self.command = command
    self.positions = positions
  }

  /// Source positions of the fields, shared between all the nodes that inherit them.
  ///
  /// A class so that the thousands of nodes inheriting `defaults.connection` carry one
  /// reference instead of eight positions each; immutable, so sharing is safe.
  public final class Positions: Sendable, Equatable {
    public let type: SourcePosition?
    public let user: SourcePosition?
    public let port: SourcePosition?
    public let identityFile: SourcePosition?
    public let proxyJump: SourcePosition?
    public let knownHostsFile: SourcePosition?
    public let hostKeyChecking: SourcePosition?
    public let command: SourcePosition?

    public init(
      type: SourcePosition? = nil,
      user: SourcePosition? = nil,
      port: SourcePosition? = nil,
      identityFile: SourcePosition? = nil,
      proxyJump: SourcePosition? = nil,
      knownHostsFile: SourcePosition? = nil,
      hostKeyChecking: SourcePosition? = nil,
      command: SourcePosition? = nil
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

    /// No field written anywhere: the built-in defaults.
    public static let none = Positions()

    public static func == (lhs: Positions, rhs: Positions) -> Bool {
      lhs === rhs
        || (lhs.type, lhs.user, lhs.port, lhs.identityFile) == (
          rhs.type, rhs.user, rhs.port, rhs.identityFile
        )
          && (lhs.proxyJump, lhs.knownHostsFile, lhs.hostKeyChecking, lhs.command)
            == (rhs.proxyJump, rhs.knownHostsFile, rhs.hostKeyChecking, rhs.command)
    }
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
