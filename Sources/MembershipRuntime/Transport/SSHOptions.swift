/// Settings every ssh connection of one run shares; the per-node settings come from the
/// topology's `connection`.
public struct SSHOptions: Sendable, Equatable {
  /// The OpenSSH client; a bare name is looked up on PATH.
  public var executable: String
  /// How long ssh may take to establish the TCP connection (`ConnectTimeout`).
  public var connectTimeout: Duration
  /// Where connection-sharing sockets live (see `SSHControlDirectory`); nil turns
  /// connection sharing off.
  public var controlDirectory: String?
  /// How long an idle shared connection stays open after the last command.
  public var controlPersist: Duration
  /// An ssh_config file to read instead of ~/.ssh/config (`-F`); nil reads the user's.
  public var configFile: String?
  /// The directory a leading `~/` in identityFile or knownHostsFile stands for; nil
  /// leaves it to ssh, which expands it from the password database.
  public var homeDirectory: String?

  public init(
    executable: String = "ssh",
    connectTimeout: Duration = .seconds(10),
    controlDirectory: String? = nil,
    controlPersist: Duration = .seconds(60),
    configFile: String? = nil,
    homeDirectory: String? = nil
  ) {
    self.executable = executable
    self.connectTimeout = connectTimeout
    self.controlDirectory = controlDirectory
    self.controlPersist = controlPersist
    self.configFile = configFile
    self.homeDirectory = homeDirectory
  }
}
