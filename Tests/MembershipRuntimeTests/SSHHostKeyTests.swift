import Glibc
import MembershipCore
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// Host keys are never accepted silently: a changed key always stops the connection,
/// an unknown one unless the file says `accept-new`.
@Suite("ssh host keys and authentication")
struct SSHHostKeyTests {
  /// Writes a known_hosts file in `directory` and returns its path.
  private func knownHosts(_ lines: [String], in directory: String) throws -> String {
    let path = directory + "/known_hosts"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { throw TestFailure(description: "cannot write \(path)") }
    let text = lines.map { $0 + "\n" }.joined()
    _ = text.utf8CString.withUnsafeBytes { write(descriptor, $0.baseAddress, text.utf8.count) }
    close(descriptor)
    return path
  }

  @Test("a host key that differs from known_hosts is refused, and known_hosts is untouched")
  func changedKey() async throws {
    try await TestSSHD.withServers(count: 2) { sshd in
      try await withScratchDirectory { scratch in
        // The second server's key, written down for the first server's address.
        let wrong = "[\(sshd[0].address)]:\(sshd[0].port) \(sshd[1].hostPublicKey)"
        let file = try knownHosts([wrong], in: scratch)
        for checking in HostKeyChecking.allCases {
          let transport = sshTransport(
            to: sshd[0],
            connection: sshd[0].connection(hostKeyChecking: checking, knownHostsFile: file)
          )
          let invocation = Invocation(["true"], display: "microk8s status", timeout: .seconds(20))
          let error = try #require(await expectFailure(transport, invocation))
          guard case .hostKeyRejected(let detail) = error.reason else {
            Issue.record("\(checking): expected hostKeyRejected, got \(error.reason)")
            continue
          }
          #expect(detail.contains("Host key verification failed"), "\(detail)")
          #expect(error.description.contains("host key verification failed"))
          #expect(error.isUnreachable)
          #expect(readFile(file) == wrong + "\n")
        }
      }
    }
  }

  @Test("an unknown host key is refused under strict checking")
  func unknownKeyStrict() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let file = try knownHosts([], in: scratch)
        let transport = sshTransport(
          to: sshd[0],
          connection: sshd[0].connection(hostKeyChecking: .strict, knownHostsFile: file)
        )
        let error = try #require(
          await expectFailure(transport, Invocation(["true"], timeout: .seconds(20)))
        )
        guard case .hostKeyRejected = error.reason else {
          Issue.record("expected hostKeyRejected, got \(error.reason)")
          return
        }
        #expect(readFile(file) == "")
      }
    }
  }

  @Test("accept-new trusts an unknown key and records it in the known_hosts file")
  func acceptNew() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let file = try knownHosts([], in: scratch)
        let transport = sshTransport(
          to: sshd[0],
          connection: sshd[0].connection(hostKeyChecking: .acceptNew, knownHostsFile: file)
        )
        let result = try await transport.run(Invocation(["echo", "in"], timeout: .seconds(20)))
        #expect(result.standardOutput == "in\n")
        let recorded = try #require(readFile(file))
        #expect(recorded.contains(sshd[0].hostPublicKey), "known_hosts: \(recorded)")
        #expect(recorded.contains("[\(sshd[0].address)]:\(sshd[0].port)"))
      }
    }
  }

  @Test("a key the host does not accept is an authentication error, with what to check")
  func authenticationRejected() async throws {
    try await TestSSHD.withServers(count: 1) { sshd in
      try await withScratchDirectory { scratch in
        let stranger = scratch + "/stranger"
        try await TestSSHD.generateKey(at: stranger)
        var connection = sshd[0].connection()
        connection.identityFile = stranger
        let transport = sshTransport(to: sshd[0], connection: connection)
        let error = try #require(
          await expectFailure(
            transport,
            Invocation(["true"], display: "microk8s status", timeout: .seconds(20))
          )
        )
        guard case .authenticationRejected(let detail) = error.reason else {
          Issue.record("expected authenticationRejected, got \(error.reason)")
          return
        }
        #expect(detail.contains("Permission denied"))
        #expect(error.description.contains("identityFile"))
      }
    }
  }
}
