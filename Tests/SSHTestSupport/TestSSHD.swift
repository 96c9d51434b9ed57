import Glibc
import Subprocess

/// Real OpenSSH servers for tests, one per simulated host, on 127.0.0.11, .12, ….
///
/// ```swift
/// try await TestSSHD.withServers(count: 2) { servers in
///   let connection = servers[0].connection()
///   …
///   await servers[1].stop()  // the host goes away
/// }
/// ```
/// Each server is `/usr/sbin/sshd -D -e` with its own ed25519 host key on a free port of
/// its own loopback address; one client key logs in as root. Everything lives in a
/// private directory under /tmp that `withServers` removes, with every sshd and session
/// it started, however the body ends. Requires root (sessions log in as root with
/// `UsePAM no`) and openssh-server.
public struct TestSSHD: Sendable {
  /// The harness's directory; everything below it is removed at the end.
  public let directory: String
  public let servers: [SSHTestServer]
  /// The private key that logs in as root on every server.
  public let clientKey: String
  /// A known_hosts file listing every server's key.
  public let knownHosts: String
  /// An ssh_config for `ssh -F`: the client key and known_hosts for every host, so
  /// that the hops of a ProxyJump, which take no options from the command line, log in
  /// too; and nothing from the user's ~/.ssh/config.
  public let clientConfig: String

  public subscript(index: Int) -> SSHTestServer { servers[index] }
  public var count: Int { servers.count }

  static let sshd = "/usr/sbin/sshd"

  /// The environment entry every session of this harness carries (`NAME=value`
  /// prefix), to find the commands they run.
  public var sessionMarker: String { "MKTOPO_TEST_SSHD=" + directory + "/" }

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Starts `count` servers, runs `body`, then stops them and removes every file.
  ///
  /// - Parameters:
  ///   - firstAddress: the last octet of the first server's address.
  ///   - environment: variables every session gets (sshd's `SetEnv`), e.g. a `PATH`
  ///     that holds freshly built binaries. sshd itself sets `SSH_CONNECTION`, whose
  ///     third field is the server's address. `HOME` defaults to an empty directory
  ///     of the harness, so the machine's dotfiles play no part.
  public static func withServers<Result>(
    count: Int,
    firstAddress: Int = 11,
    environment: [String: String] = [:],
    _ body: (TestSSHD) async throws -> Result
  ) async throws -> Result {
    try checkPrerequisites()
    await StaleServers.sweep()
    let directory = try TestFiles.makeTemporaryDirectory(
      prefix: "\(StaleServers.prefix)\(getpid())-"
    )
    var started: [SSHTestServer] = []
    do {
      let sshd = try await start(
        count: count,
        firstAddress: firstAddress,
        environment: environment,
        directory: directory,
        started: &started
      )
      let result = try await body(sshd)
      await shutDown(started, directory)
      return result
    } catch {
      await shutDown(started, directory)
      throw error
    }
  }

  private static func checkPrerequisites() throws {
    guard access(sshd, X_OK) == 0 else {
      throw Failure(
        description: "\(sshd) is missing; these tests run real OpenSSH servers. "
          + "Install it with: apt-get install -y openssh-server"
      )
    }
    guard geteuid() == 0 else {
      throw Failure(
        description: "these tests must run as root: each test sshd lets the test log in as "
          + "root with a generated key"
      )
    }
    // sshd refuses to start without its privilege-separation directory.
    if mkdir("/run/sshd", 0o755) != 0, errno != EEXIST {
      throw Failure(description: "cannot create /run/sshd: \(TestFiles.lastError())")
    }
  }

  private static func start(
    count: Int,
    firstAddress: Int,
    environment: [String: String],
    directory: String,
    started: inout [SSHTestServer]
  ) async throws -> TestSSHD {
    let clientKey = directory + "/client_ed25519"
    let knownHosts = directory + "/known_hosts"
    let clientConfig = directory + "/ssh_config"
    // Sessions get a home of their own: root's dotfiles would make every test command
    // depend on this machine's ~/.bashrc, which bash reads even for ssh commands (on
    // this image, pyenv's setup there adds a quarter of a second to each).
    let home = directory + "/home"
    guard mkdir(home, 0o700) == 0 else {
      throw Failure(description: "cannot create \(home): \(TestFiles.lastError())")
    }
    let environment = ["HOME": home].merging(environment) { _, given in given }
    try await generateKey(at: clientKey)
    let authorized = try readPublicKey(clientKey)
    try TestFiles.write(authorized + "\n", to: directory + "/authorized_keys")
    try TestFiles.write(
      SSHDConfiguration.client(clientKey: clientKey, knownHosts: knownHosts),
      to: clientConfig
    )
    for index in 0..<count {
      let address = "127.0.0.\(firstAddress + index)"
      let hostKey = "\(directory)/host-\(address)"
      try await generateKey(at: hostKey)
      started.append(
        try await launch(
          address: address,
          hostKey: hostKey,
          environment: environment,
          directory: directory,
          clientFiles: (clientKey, knownHosts)
        )
      )
    }
    try TestFiles.write(started.map { $0.knownHostsLine + "\n" }.joined(), to: knownHosts)
    return TestSSHD(
      directory: directory,
      servers: started,
      clientKey: clientKey,
      knownHosts: knownHosts,
      clientConfig: clientConfig
    )
  }

  /// Starts one server on a free port; retries with another port if a concurrent test
  /// took the one chosen before sshd could bind it.
  private static func launch(
    address: String,
    hostKey: String,
    environment: [String: String],
    directory: String,
    clientFiles: (key: String, knownHosts: String)
  ) async throws -> SSHTestServer {
    let config = "\(directory)/sshd-\(address).conf"
    let log = "\(directory)/sshd-\(address).log"
    var lastFailure: any Error = Failure(description: "no free port on \(address)")
    for _ in 0..<5 {
      guard let port = Loopback.freePort(on: address) else { continue }
      try TestFiles.write(
        SSHDConfiguration.server(
          address: address,
          port: port,
          hostKey: hostKey,
          authorizedKeys: directory + "/authorized_keys",
          environment: environment,
          marker: SSHTestServer.marker(configFile: config)
        ),
        to: config
      )
      let server = SSHTestServer(
        address: address,
        port: port,
        hostPublicKey: try readPublicKey(hostKey),
        files: (clientFiles.key, clientFiles.knownHosts, config, log)
      )
      do {
        try await server.start()
        return server
      } catch {
        lastFailure = error
      }
    }
    throw lastFailure
  }

  private static func shutDown(_ servers: [SSHTestServer], _ directory: String) async {
    for server in servers { await server.stop() }
    await TestFiles.remove(directory)
  }

  /// Writes a new passphrase-less ed25519 key pair: `path` and `path.pub`.
  public static func generateKey(at path: String) async throws {
    let result = try await Subprocess.run(
      .name("ssh-keygen"),
      arguments: ["-q", "-t", "ed25519", "-N", "", "-C", "mktopo-test", "-f", path],
      output: .string(limit: 64 * 1024),
      error: .string(limit: 64 * 1024)
    )
    guard result.terminationStatus.isSuccess else {
      throw Failure(description: "ssh-keygen failed for \(path): \(result.standardError)")
    }
  }

  /// `ssh-ed25519 AAAA…` from `path.pub`, without the comment.
  public static func readPublicKey(_ privateKeyPath: String) throws -> String {
    guard let text = TestFiles.read(privateKeyPath + ".pub") else {
      throw Failure(description: "cannot read \(privateKeyPath).pub")
    }
    return text.split(separator: " ").prefix(2).joined(separator: " ")
  }
}
