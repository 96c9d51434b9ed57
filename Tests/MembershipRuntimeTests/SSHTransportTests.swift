import Glibc
import MembershipCore
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// An SSHTransport to `server` that reads no ssh_config: every setting comes from the
/// connection, as the topology file writes it.
func sshTransport(
  to server: SSHTestServer,
  connection: Connection? = nil,
  controlDirectory: String? = nil,
  configFile: String = "/dev/null"
) -> SSHTransport {
  SSHTransport(
    host: "node-\(server.address)",
    destination: server.address,
    connection: connection ?? server.connection(),
    options: SSHOptions(
      connectTimeout: .seconds(5),
      controlDirectory: controlDirectory,
      configFile: configFile
    )
  )
}

@Suite("SSHTransport against a real sshd")
struct SSHTransportTests {
  @Test("passes exit statuses, both streams and standard input through")
  func exitStatuses() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      let transport = sshTransport(to: sshd[0])
      let ok = try await transport.run(Invocation(["true"], timeout: .seconds(20)))
      #expect(ok.status == .exited(0))
      let five = try await transport.run(
        Invocation(["sh", "-c", "echo out; echo err >&2; exit 5"], timeout: .seconds(20))
      )
      #expect(five.status == .exited(5))
      #expect(five.standardOutput == "out\n")
      #expect(five.standardError == "err\n")
      let fed = try await transport.run(
        Invocation(["cat"], timeout: .seconds(20), standardInput: "from stdin\n")
      )
      #expect(fed.standardOutput == "from stdin\n")
    }
  }

  @Test("the remote command sees SSH_CONNECTION with the node's address")
  func sshConnection() async throws {
    try await TestSSHD.withServers(count: 1, firstAddress: 21) { sshd in
      let result = try await sshTransport(to: sshd[0]).run(
        Invocation(["sh", "-c", "echo $SSH_CONNECTION"], timeout: .seconds(20))
      )
      #expect(result.standardOutput.split(separator: " ").dropFirst(2).first == "127.0.0.21")
    }
  }

  @Test("the remote shell receives exactly the argv, whatever it contains")
  func quotingRoundTrip() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let transport = sshTransport(to: sshd[0], controlDirectory: scratch)
        for seed in UInt64(0)..<25 {
          let argv = ShellQuotingTests.randomArgv(seed: seed)
          let result = try await transport.run(
            Invocation(["printf", "%s\\0"] + argv, timeout: .seconds(20))
          )
          #expect(result.succeeded, "seed \(seed): \(result.standardError)")
          #expect(ShellQuotingTests.split(result.standardOutput) == argv, "seed \(seed)")
        }
        await transport.closeConnection()
      }
    }
  }

  @Test("a stopped host is unreachable, distinct from a failing command; it comes back")
  func stoppedHost() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      let transport = sshTransport(to: sshd[0])
      await sshd[0].stop()
      let invocation = Invocation(["true"], display: "microk8s status", timeout: .seconds(20))
      let error = try #require(await expectFailure(transport, invocation))
      guard case .unreachable(let detail) = error.reason else {
        Issue.record("expected unreachable, got \(error.reason)")
        return
      }
      #expect(detail.contains("Connection refused"))
      #expect(
        error.description.hasPrefix(
          "node-127.0.0.11: cannot reach the host to run 'microk8s status'"
        )
      )
      try await sshd[0].start()
      #expect(try await transport.run(invocation).succeeded)
    }
  }

  @Test("a timeout stops the local ssh and reports it")
  func timeout() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      let transport = sshTransport(to: sshd[0])
      let marker = "mktopo-timeout-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      let invocation = Invocation(["sh", "-c", "sleep 30", marker], timeout: .seconds(2))
      let error = try #require(await expectFailure(transport, invocation))
      #expect(error.reason == .timedOut(after: .seconds(2)))
      // The local ssh carries the marker in its remote command line.
      let local = ProcessTable.running(commandLineContaining: marker)
        .filter { $0.commandLine.hasPrefix("ssh ") }
      #expect(local.isEmpty, "ssh still running: \(local)")
      // ssh cannot stop a remote command: it outlives its session as an orphan.
      // Stopping the host must still end it.
      await sshd[0].stop()
      #expect(ProcessTable.running(environmentEntryStartingWith: sshd.sessionMarker).isEmpty)
    }
  }

  @Test("shares one connection per host and closes it on request")
  func connectionSharing() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let transport = sshTransport(to: sshd[0], controlDirectory: scratch)
        #expect(try await transport.run(Invocation(["true"], timeout: .seconds(20))).succeeded)
        let sockets = try #require(try? directoryEntries(scratch)).filter { $0.hasPrefix("cm-") }
        #expect(sockets.count == 1, "control sockets: \(sockets)")
        var info = stat()
        let socket = scratch + "/" + (sockets.first ?? "")
        #expect(lstat(socket, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK)
        // The shared connection also carries the next command.
        #expect(try await transport.run(Invocation(["true"], timeout: .seconds(20))).succeeded)
        await transport.closeConnection()
        #expect(try directoryEntries(scratch).filter { $0.hasPrefix("cm-") }.isEmpty)
      }
    }
  }

  @Test("concurrent first commands to one host share one connection (one login in sshd's log)")
  func concurrentFirstCommands() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let transport = sshTransport(to: sshd[0], controlDirectory: scratch)
        let before = Self.logins(sshd[0])
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
          for index in 0..<4 {
            group.addTask {
              try await transport.run(Invocation(["echo", "\(index)"], timeout: .seconds(30)))
                .standardOutput
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.sorted() == ["0\n", "1\n", "2\n", "3\n"])
        // More commands, a second round of them at once, still on the same connection.
        try await withThrowingTaskGroup(of: Void.self) { group in
          for _ in 0..<3 {
            group.addTask {
              _ = try await transport.run(Invocation(["true"], timeout: .seconds(30)))
            }
          }
          try await group.waitForAll()
        }
        #expect(
          Self.logins(sshd[0]) - before == 1,
          "sshd accepted \(Self.logins(sshd[0]) - before) logins:\n\(sshd[0].log)"
        )
        await transport.closeConnection()
        // Closed, the next command opens one connection again.
        _ = try await transport.run(Invocation(["true"], timeout: .seconds(30)))
        #expect(Self.logins(sshd[0]) - before == 2)
        await transport.closeConnection()
      }
    }
  }

  /// The logins sshd has accepted so far: one per TCP connection that authenticated.
  static func logins(_ server: SSHTestServer) -> Int {
    server.log.ranges(of: "Accepted publickey").count
  }

  @Test("reaches a host through a ProxyJump hop")
  func proxyJump() async throws {
    try await TestSSHD.withServers(count: 2) { sshd in
      let jump = sshd[0]
      var connection = sshd[1].connection()
      connection.proxyJump = "root@\(jump.address):\(jump.port)"
      // The hop takes its key and known_hosts from the config file, as it would from
      // an operator's ~/.ssh/config.
      let transport = sshTransport(
        to: sshd[1],
        connection: connection,
        configFile: sshd.clientConfig
      )
      let result = try await transport.run(
        Invocation(["sh", "-c", "echo $SSH_CONNECTION"], timeout: .seconds(20))
      )
      #expect(result.standardOutput.split(separator: " ").dropFirst(2).first == "127.0.0.12")
      await jump.stop()
      let error = try #require(
        await expectFailure(transport, Invocation(["true"], timeout: .seconds(20)))
      )
      #expect(error.isUnreachable, "\(error)")
    }
  }
}
