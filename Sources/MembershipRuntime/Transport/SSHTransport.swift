import MembershipCore

/// Runs commands on a node through the system OpenSSH client.
///
/// Using `ssh` itself keeps everything an operator already relies on: ~/.ssh/config,
/// agents, ProxyJump, known_hosts. The command travels as one string that ssh hands to
/// the remote login shell, with every argument single-quoted, so nothing from the
/// topology file or the MicroK8s arguments is ever interpreted there.
public struct SSHTransport: Transport {
  public let host: String
  /// What ssh connects to: the node's address.
  public let destination: String
  public let connection: Connection
  public let options: SSHOptions

  public init(host: String, destination: String, connection: Connection, options: SSHOptions) {
    self.host = host
    self.destination = destination
    self.connection = connection
    self.options = options
  }

  public func run(_ invocation: Invocation) async throws(TransportError) -> CommandResult {
    let shared = sharedOptions()
    let argv = argv(for: invocation.argv, shared: shared)
    guard options.controlDirectory != nil else {
      let result = try await ChildProcess.run(argv, for: invocation, host: host)
      try ExitStatus.check(result, of: invocation, on: host)
      return result
    }
    // One connection per host: the shared one is opened before the first command goes.
    let key = connectionKey(shared)
    let connections = SharedConnections.shared
    let entry = await connections.enter(key, persist: options.controlPersist, open: open)
    if case .unreachable(let failed) = entry {
      try ExitStatus.check(failed, of: invocation, on: host)
    }
    let result: CommandResult
    do throws(TransportError) {
      result = try await ChildProcess.run(argv, for: invocation, host: host)
    } catch {
      if entry == .entered { await connections.leave(key) }
      throw error
    }
    if entry == .entered { await connections.leave(key) }
    try ExitStatus.check(result, of: invocation, on: host)
    return result
  }

  /// Opens the shared connection with a `true` on the node (`ControlMaster=auto`: if a
  /// master is still there, the `true` goes through it); nil when ssh could not be run.
  @Sendable private func open() async -> CommandResult? {
    let invocation = Invocation(
      ["true"],
      display: "ssh (opening the shared connection)",
      timeout: options.connectTimeout + .seconds(30)
    )
    return try? await ChildProcess.run(argv(for: ["true"]), for: invocation, host: host)
  }

  /// What names the shared connection: everything that decides ssh's control socket.
  private func connectionKey(_ shared: [String]) -> String {
    (shared + ["--", destination]).joined(separator: "\u{0}")
  }

  /// Closes the shared connection to the node, if one is open (`ssh -O exit`).
  ///
  /// Best effort: call at the end of a run so no master outlives the program by
  /// `controlPersist`; a master that is already gone is not an error.
  public func closeConnection() async {
    guard options.controlDirectory != nil else { return }
    let shared = sharedOptions()
    let argv = [options.executable] + shared + ["-O", "exit", "--", destination]
    let invocation = Invocation([], display: "ssh -O exit", timeout: .seconds(5))
    _ = try? await ChildProcess.run(argv, for: invocation, host: host)
    await SharedConnections.shared.forget(connectionKey(shared))
  }

  /// The local argv that runs `remote` on the node.
  ///
  /// Holds the remote argv in clear: for tests, never for messages.
  func argv(for remote: [String]) -> [String] {
    argv(for: remote, shared: sharedOptions())
  }

  private func argv(for remote: [String], shared: [String]) -> [String] {
    [options.executable] + shared + ["-T", "--", destination] + [ShellQuoting.commandLine(remote)]
  }

  /// Every option except the destination and command; `-O exit` needs the same ones to
  /// find the same control socket.
  private func sharedOptions() -> [String] {
    var argv: [String] = []
    if let configFile = options.configFile { argv += ["-F", configFile] }
    argv += [
      "-o", "BatchMode=yes",
      "-o", "StrictHostKeyChecking=" + strictHostKeyChecking,
      "-o", "ConnectTimeout=\(Self.wholeSeconds(options.connectTimeout))",
    ]
    if let knownHosts = connection.knownHostsFile {
      argv += ["-o", "UserKnownHostsFile=" + Self.optionValue(expandingHome(knownHosts))]
    }
    if let user = connection.user { argv += ["-l", user] }
    if let port = connection.port { argv += ["-p", String(port)] }
    if let identity = connection.identityFile { argv += ["-i", expandingHome(identity)] }
    if let jump = connection.proxyJump { argv += ["-J", jump] }
    if let directory = options.controlDirectory {
      argv += [
        "-o", "ControlMaster=auto",
        "-o", "ControlPath=" + Self.optionValue(directory, suffix: "/cm-%C"),
        "-o", "ControlPersist=\(Self.wholeSeconds(options.controlPersist))s",
      ]
    }
    return argv
  }

  /// Never `no`: an unknown key is refused unless the file asked for `accept-new`, and a
  /// changed key is refused always.
  private var strictHostKeyChecking: String {
    switch connection.hostKeyChecking {
    case .strict: "yes"
    case .acceptNew: "accept-new"
    }
  }

  private func expandingHome(_ path: String) -> String {
    guard path.hasPrefix("~/"), let home = options.homeDirectory else { return path }
    return home + path.dropFirst()
  }

  /// A path as the value of `-o NAME=VALUE`: ssh splits such values on spaces and
  /// expands `%` tokens, so the path is double-quoted with `"` and `\` escaped and `%`
  /// doubled; `suffix` is appended unescaped, to keep a token such as `%C`.
  static func optionValue(_ path: String, suffix: String = "") -> String {
    var escaped = ""
    for character in path {
      switch character {
      case "\"", "\\": escaped += "\\" + String(character)
      case "%": escaped += "%%"
      default: escaped.append(character)
      }
    }
    return "\"" + escaped + suffix + "\""
  }

  private static func wholeSeconds(_ duration: Duration) -> Int64 {
    max(1, duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0))
  }
}
