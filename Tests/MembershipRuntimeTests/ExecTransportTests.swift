import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("ExecTransport")
struct ExecTransportTests {
  @Test("runs the prefix with the command appended as plain arguments")
  func prefix() async throws {
    let transport = ExecTransport(host: "node1", prefix: ["env", "WHERE=inside"])
    let result = try await transport.run(
      Invocation(["sh", "-c", "echo \"$WHERE\" \"$1\"", "sh", "a b; $x"], timeout: .seconds(60))
    )
    #expect(result.standardOutput == "inside a b; $x\n")
  }

  @Test("the factory expands {name} and {address} inside each prefix element")
  func placeholders() async throws {
    let spec = node(
      "worker7",
      address: "10.1.2.3",
      connection: Connection(type: .exec, command: ["env", "NODE={name}", "URL=x{address}:1"])
    )
    let transport = TransportFactory(ssh: SSHOptions()).transport(for: spec)
    let exec = try #require(transport as? ExecTransport)
    #expect(exec.prefix == ["env", "NODE=worker7", "URL=x10.1.2.3:1"])
    #expect(exec.host == "worker7")
    let result = try await transport.run(
      Invocation(["sh", "-c", "echo \"$NODE $URL\""], timeout: .seconds(60))
    )
    #expect(result.standardOutput == "worker7 x10.1.2.3:1\n")
  }

  @Test("exit status 255 from the prefix means unreachable")
  func unreachable() async throws {
    let transport = ExecTransport(
      host: "node2",
      prefix: ["sh", "-c", "echo 'instance node2 is stopped' >&2; exit 255", "sh"]
    )
    let error = try #require(
      await expectFailure(
        transport,
        Invocation(["true"], display: "microk8s version", timeout: .seconds(60))
      )
    )
    #expect(error.reason == .unreachable(detail: "instance node2 is stopped"))
    #expect(error.host == "node2")
    #expect(error.command == "microk8s version")
  }

  @Test("other exit statuses are the command's own")
  func exitStatus() async throws {
    let transport = ExecTransport(host: "node1", prefix: ["env"])
    let result = try await transport.run(Invocation(["sh", "-c", "exit 5"], timeout: .seconds(60)))
    #expect(result.status == .exited(5))
  }

  @Test("a missing prefix program cannot be launched")
  func missingPrefix() async throws {
    let transport = ExecTransport(
      host: "node1",
      prefix: ["mktopo-no-such-lxc", "exec", "node1", "--"]
    )
    let error = try #require(
      await expectFailure(
        transport,
        Invocation(["true"], display: "microk8s status", timeout: .seconds(60))
      )
    )
    guard case .cannotLaunch(let executable, _) = error.reason else {
      Issue.record("expected cannotLaunch, got \(error.reason)")
      return
    }
    #expect(executable == "mktopo-no-such-lxc")
  }
}
