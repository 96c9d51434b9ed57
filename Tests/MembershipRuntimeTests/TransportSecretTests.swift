import MembershipCore
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// A join token in argv must never reach a message, whatever goes wrong.
@Suite("Secrets in errors")
struct TransportSecretTests {
  let transport = LocalTransport(host: "node1")

  /// An invocation whose argv carries the token, and whose display hides it.
  private func invocation(
    _ script: String,
    timeout: Duration = .seconds(60),
    outputLimit: Int = Invocation.defaultOutputLimit
  ) -> Invocation {
    Invocation(
      ["sh", "-c", script, "sh", "--token", sampleToken],
      display: "microk8s add-node --token <token>",
      timeout: timeout,
      secrets: [sampleToken],
      outputLimit: outputLimit
    )
  }

  private func expectNoToken(
    _ error: TransportError?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let error else { return }
    #expect(!error.description.contains(sampleToken), "\(error)", sourceLocation: sourceLocation)
    #expect(!"\(error.reason)".contains(sampleToken), sourceLocation: sourceLocation)
    #expect(error.command == "microk8s add-node --token <token>", sourceLocation: sourceLocation)
  }

  @Test("unreachable: standard error that echoes the arguments is redacted")
  func unreachable() async {
    let error = await expectFailure(transport, invocation("echo \"failed: $*\" >&2; exit 255"))
    #expect(error?.isUnreachable == true)
    #expect(
      error?.description.contains("failed: --token <redacted>") == true,
      "\(String(describing: error))"
    )
    expectNoToken(error)
  }

  @Test("token-shaped output is redacted even when the caller lists no secrets")
  func unlistedToken() async {
    let unlisted = Invocation(
      ["sh", "-c", "echo \"join 10.0.0.1:25000/$1 failed\" >&2; exit 255", "sh", sampleToken],
      display: "microk8s join",
      timeout: .seconds(60)
    )
    let error = await expectFailure(transport, unlisted)
    #expect(error != nil)
    #expect(error?.description.contains(sampleToken) == false, "\(String(describing: error))")
  }

  @Test("the default display hides listed secrets and token shapes")
  func defaultDisplay() {
    let listed = Invocation(
      ["microk8s", "join", "secret-value"],
      timeout: .seconds(1),
      secrets: ["secret-value"]
    )
    #expect(listed.display == "microk8s join <redacted>")
    let shaped = Invocation(["microk8s", "add-node", "--token", sampleToken], timeout: .seconds(1))
    #expect(!shaped.display.contains(sampleToken))
  }

  @Test("timed out")
  func timedOut() async {
    let error = await expectFailure(transport, invocation("sleep 30", timeout: .milliseconds(200)))
    #expect(error?.reason == .timedOut(after: .milliseconds(200)))
    expectNoToken(error)
  }

  @Test("output too large")
  func outputTooLarge() async {
    let error = await expectFailure(transport, invocation("echo \"$*\"; yes", outputLimit: 1024))
    #expect(error?.reason == .outputTooLarge(stream: .standardOutput, limit: 1024))
    expectNoToken(error)
  }

  @Test("cannot launch: the token is an argument, never the executable")
  func cannotLaunch() async {
    let missing = Invocation(
      ["mktopo-no-such-microk8s", "add-node", "--token", sampleToken],
      display: "microk8s add-node --token <token>",
      timeout: .seconds(60),
      secrets: [sampleToken]
    )
    let error = await expectFailure(transport, missing)
    #expect(error != nil)
    expectNoToken(error)
  }

  @Test("ssh errors: host down, key refused, login refused")
  func ssh() async throws {
    try await TestSSHD.withServers(count: 2) { sshd in
      let token = invocation("true")
      let reachable = sshTransport(to: sshd[0])
      // A changed host key: the second server's key written for the first.
      try await withScratchDirectory { scratch in
        let file = scratch + "/known_hosts"
        let line = "[\(sshd[0].address)]:\(sshd[0].port) \(sshd[1].hostPublicKey)\n"
        _ = try? await LocalTransport(host: "test").run(
          Invocation(
            ["sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", line, file],
            timeout: .seconds(60)
          )
        )
        let wrongKey = sshTransport(
          to: sshd[0],
          connection: sshd[0].connection(knownHostsFile: file)
        )
        expectNoToken(await expectFailure(wrongKey, token))
        let stranger = scratch + "/stranger"
        try await TestSSHD.generateKey(at: stranger)
        var connection = sshd[0].connection()
        connection.identityFile = stranger
        expectNoToken(await expectFailure(sshTransport(to: sshd[0], connection: connection), token))
      }
      await sshd[0].stop()
      expectNoToken(await expectFailure(reachable, token))
    }
  }
}
