import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

/// The exact ssh command line: every option here is a promise to the operator.
@Suite("SSHTransport argv")
struct SSHArgvTests {
  @Test("a full connection becomes the documented options, then --, host and one command")
  func fullConnection() {
    let connection = Connection(
      type: .ssh,
      user: "ubuntu",
      port: 2222,
      identityFile: "~/.ssh/id_ed25519",
      proxyJump: "admin@bastion.example.net",
      knownHostsFile: "~/keys/known hosts",
      hostKeyChecking: .strict
    )
    let transport = SSHTransport(
      host: "node1",
      destination: "192.0.2.10",
      connection: connection,
      options: SSHOptions(controlDirectory: "/state/ssh", homeDirectory: "/home/op")
    )
    #expect(
      transport.argv(for: ["sudo", "-n", "/snap/bin/microk8s", "status"]) == [
        "ssh",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "ConnectTimeout=10",
        "-o", "UserKnownHostsFile=\"/home/op/keys/known hosts\"",
        "-l", "ubuntu",
        "-p", "2222",
        "-i", "/home/op/.ssh/id_ed25519",
        "-J", "admin@bastion.example.net",
        "-o", "ControlMaster=auto",
        "-o", "ControlPath=\"/state/ssh/cm-%C\"",
        "-o", "ControlPersist=60s",
        "-T", "--", "192.0.2.10",
        "'sudo' '-n' '/snap/bin/microk8s' 'status'",
      ]
    )
  }

  @Test("a bare connection leaves user, port, keys and jump to ~/.ssh/config")
  func bareConnection() {
    let transport = SSHTransport(
      host: "node1",
      destination: "192.0.2.10",
      connection: Connection(),
      options: SSHOptions()
    )
    #expect(
      transport.argv(for: ["true"]) == [
        "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
        "-T", "--", "192.0.2.10", "'true'",
      ]
    )
  }

  @Test("accept-new only when the file asks for it")
  func acceptNew() {
    let transport = SSHTransport(
      host: "node1",
      destination: "192.0.2.10",
      connection: Connection(hostKeyChecking: .acceptNew),
      options: SSHOptions()
    )
    let argv = transport.argv(for: ["true"])
    #expect(argv.contains("StrictHostKeyChecking=accept-new"))
    #expect(!argv.contains { $0.contains("StrictHostKeyChecking=no") })
  }

  @Test("-F, ConnectTimeout and ControlPersist follow the options")
  func options() {
    let transport = SSHTransport(
      host: "node1",
      destination: "192.0.2.10",
      connection: Connection(),
      options: SSHOptions(
        connectTimeout: .milliseconds(2500),
        controlDirectory: "/s",
        controlPersist: .seconds(5),
        configFile: "/etc/test ssh_config"
      )
    )
    let argv = transport.argv(for: ["true"])
    #expect(argv.starts(with: ["ssh", "-F", "/etc/test ssh_config"]))
    #expect(argv.contains("ConnectTimeout=3"))
    #expect(argv.contains("ControlPersist=5s"))
  }

  @Test("a path in an -o value is quoted and its % signs doubled")
  func optionValue() {
    #expect(SSHTransport.optionValue("/a b/c") == "\"/a b/c\"")
    #expect(SSHTransport.optionValue("/a\"b\\c") == "\"/a\\\"b\\\\c\"")
    #expect(SSHTransport.optionValue("/100%/x", suffix: "/cm-%C") == "\"/100%%/x/cm-%C\"")
  }

  @Test("~ is expanded only as a leading ~/ and only with a home directory")
  func homeExpansion() {
    let withHome = SSHTransport(
      host: "n",
      destination: "h",
      connection: Connection(identityFile: "~/k", knownHostsFile: "/x/~/k"),
      options: SSHOptions(homeDirectory: "/home/op")
    )
    let argv = withHome.argv(for: ["true"])
    #expect(argv.contains("/home/op/k"))
    #expect(argv.contains("UserKnownHostsFile=\"/x/~/k\""))
    let withoutHome = SSHTransport(
      host: "n",
      destination: "h",
      connection: Connection(identityFile: "~/k"),
      options: SSHOptions()
    )
    #expect(withoutHome.argv(for: ["true"]).contains("~/k"))
  }
}

@Suite("SSHControlDirectory")
struct SSHControlDirectoryTests {
  private func mode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
  }

  @Test("lives under the state directory, created with mode 0700")
  func underStateDirectory() async throws {
    try await withScratchDirectory { scratch in
      let directory = try #require(SSHControlDirectory.prepare(stateDirectory: scratch + "/s"))
      #expect(directory == scratch + "/s/ssh")
      #expect(mode(directory) == 0o700)
    }
  }

  @Test("falls back to a private directory in /tmp when the socket path would be too long")
  func longStateDirectory() async throws {
    try await withScratchDirectory { scratch in
      let deep = scratch + "/" + String(repeating: "d", count: 60)
      let directory = try #require(SSHControlDirectory.prepare(stateDirectory: deep))
      #expect(directory.hasPrefix("/tmp/mktopo-ssh-"))
      #expect(directory.utf8.count <= SSHControlDirectory.maxLength)
      #expect(mode(directory) == 0o700)
      var info = stat()
      #expect(lstat(directory, &info) == 0 && info.st_uid == geteuid())
    }
  }

  @Test("refuses a directory that is not a directory")
  func notADirectory() async throws {
    try await withScratchDirectory { scratch in
      let file = scratch + "/file"
      close(open(file, O_CREAT | O_WRONLY, 0o600))
      #expect(!SSHControlDirectory.createPrivate(file))
    }
  }

  @Test("tightens a directory that others can enter")
  func tightensMode() async throws {
    try await withScratchDirectory { scratch in
      let open = scratch + "/open"
      mkdir(open, 0o755)
      chmod(open, 0o755)
      #expect(SSHControlDirectory.createPrivate(open))
      #expect(mode(open) == 0o700)
    }
  }
}
