import Glibc
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// The harness itself: other tests trust it to start, stop and clean up.
@Suite("TestSSHD")
struct TestSSHDTests {
  /// A plain ssh run against one server, with the harness's own client files.
  private func ssh(
    _ server: SSHTestServer,
    _ sshd: TestSSHD,
    _ command: String
  ) async throws -> CommandResult {
    try await LocalTransport(host: server.address).run(
      Invocation(
        [
          "ssh", "-F", sshd.clientConfig, "-o", "ConnectTimeout=5", "-p", String(server.port), "-T",
          "--", server.address, command,
        ],
        timeout: .seconds(20)
      )
    )
  }

  @Test("each server answers on its own loopback address, with SSH_CONNECTION naming it")
  func serversAnswer() async throws {
    try await TestSSHD.withServers(count: 2) { sshd in
      #expect(sshd[0].address == "127.0.0.11")
      #expect(sshd[1].address == "127.0.0.12")
      for server in sshd.servers {
        let result = try await ssh(server, sshd, "echo $SSH_CONNECTION")
        #expect(result.succeeded, "\(result)")
        let fields = result.standardOutput.split(separator: " ")
        #expect(fields.count == 4)
        #expect(fields.dropFirst(2).first.map(String.init) == server.address)
        #expect(fields.last.map { String($0.dropLast()) } == String(server.port))
      }
    }
  }

  @Test("sessions get the environment passed to withServers")
  func environment() async throws {
    try await TestSSHD.withServers(
      count: 1,
      environment: ["MKTOPO_MARK": "a b'c", "PATH": "/opt/mark:/usr/bin:/bin"]
    ) { sshd in
      let result = try await ssh(sshd[0], sshd, "printf '%s|%s' \"$MKTOPO_MARK\" \"$PATH\"")
      #expect(result.standardOutput.hasPrefix("a b'c|"))
      #expect(result.standardOutput.contains("/opt/mark:/usr/bin:/bin"))
    }
  }

  @Test("a stopped server refuses connections and its sessions end; a restarted one answers")
  func stopAndRestart() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      let server = sshd[0]
      #expect(try await ssh(server, sshd, "true").succeeded)
      await server.stop()
      #expect(await !server.isRunning)
      do {
        let result = try await ssh(server, sshd, "true")
        Issue.record("a stopped server answered: \(result)")
      } catch let error as TransportError {
        guard case .unreachable(let detail) = error.reason else { throw error }
        #expect(detail.contains("Connection refused"))
      }
      try await server.start()
      #expect(try await ssh(server, sshd, "true").succeeded)
    }
  }

  @Test("leaves no sshd, session or file behind, also when the body throws")
  func cleanup() async throws {
    struct Planned: Error {}
    var directory = ""
    var marker = ""
    do {
      try await TestSSHD.withServers(count: 2) { sshd in
        directory = sshd.directory
        marker = sshd.sessionMarker
        // A session still running when the scope ends must be killed too.
        let session = Task { try? await ssh(sshd[0], sshd, "sleep 60") }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while ProcessTable.running(environmentEntryStartingWith: marker).isEmpty,
          clock.now < deadline
        {
          try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!ProcessTable.running(environmentEntryStartingWith: marker).isEmpty)
        #expect(!ProcessTable.running(commandLineContaining: directory).isEmpty)
        _ = session
        throw Planned()
      }
      Issue.record("the body's error was swallowed")
    } catch is Planned {}
    #expect(!directory.isEmpty)
    #expect(ProcessTable.running(commandLineContaining: directory).isEmpty)
    #expect(ProcessTable.running(environmentEntryStartingWith: marker).isEmpty)
    #expect(access(directory, F_OK) != 0, "\(directory) was not removed")
  }
}
