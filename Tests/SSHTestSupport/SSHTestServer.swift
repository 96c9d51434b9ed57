import Glibc
import MembershipCore

/// One real sshd on its own loopback address: a simulated host.
///
/// `stop()` makes the host go away as a crashed machine would: the listener and every
/// open session (shared ssh connections included) die at once. `start()` brings it back
/// with the same address, port and host key.
public actor SSHTestServer {
  /// The loopback address, such as `127.0.0.11`; sessions see it in `SSH_CONNECTION`.
  public nonisolated let address: String
  public nonisolated let port: Int
  /// The host's public key, `ssh-ed25519 AAAA…`.
  public nonisolated let hostPublicKey: String
  /// The key that logs in as root, and a known_hosts file that lists every server.
  public nonisolated let clientKey: String
  public nonisolated let knownHosts: String
  /// sshd's own log, for failure messages.
  public nonisolated let logFile: String

  /// What sshd has logged so far (`-e`: INFO level, a line per accepted login).
  public nonisolated var log: String { TestFiles.read(logFile) ?? "" }
  private nonisolated let configFile: String
  /// `MKTOPO_TEST_SSHD=<config file>`: in every session's environment, so that stopping
  /// the server finds the commands its sessions left behind.
  nonisolated var marker: String { Self.marker(configFile: configFile) }
  private var process: ProcessTree?

  init(
    address: String,
    port: Int,
    hostPublicKey: String,
    files: (clientKey: String, knownHosts: String, config: String, log: String)
  ) {
    self.address = address
    self.port = port
    self.hostPublicKey = hostPublicKey
    self.clientKey = files.clientKey
    self.knownHosts = files.knownHosts
    self.configFile = files.config
    self.logFile = files.log
  }

  /// The line a known_hosts file needs for this server.
  public nonisolated var knownHostsLine: String { "[\(address)]:\(port) \(hostPublicKey)" }

  /// A connection that reaches this server as root with the harness's key.
  public nonisolated func connection(
    hostKeyChecking: HostKeyChecking = .strict,
    knownHostsFile: String? = nil
  ) -> Connection {
    Connection(
      type: .ssh,
      user: "root",
      port: port,
      identityFile: clientKey,
      knownHostsFile: knownHostsFile ?? knownHosts,
      hostKeyChecking: hostKeyChecking
    )
  }

  public var isRunning: Bool { process != nil }

  /// Starts sshd and waits until it accepts connections; does nothing if it runs.
  public func start() async throws {
    guard process == nil else { return }
    process = try await Self.launch(config: configFile, log: logFile, address: address, port: port)
  }

  /// Kills sshd and every session it serves; does nothing if it is stopped.
  public func stop() {
    process?.stop(marker: marker)
    process = nil
  }

  static func marker(configFile: String) -> String { "MKTOPO_TEST_SSHD=" + configFile }

  /// Starts `sshd -D -e -f config` and waits for its port; throws with sshd's log if it
  /// exits first or does not listen within ten seconds.
  static func launch(
    config: String,
    log: String,
    address: String,
    port: Int
  ) async throws -> ProcessTree {
    let process = try ProcessTree.spawn([TestSSHD.sshd, "-D", "-e", "-f", config], logFile: log)
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while clock.now < deadline {
      if Loopback.accepts(address, port: port) { return process }
      if process.hasExited() {
        throw TestSSHD.Failure(
          description: "sshd for \(address):\(port) exited at start:\n"
            + (TestFiles.read(log) ?? "(no log)")
        )
      }
      do {
        try await Task.sleep(for: .milliseconds(10))
      } catch {
        process.stop()
        throw error
      }
    }
    process.stop()
    throw TestSSHD.Failure(description: "sshd for \(address):\(port) did not listen within 10s")
  }
}
