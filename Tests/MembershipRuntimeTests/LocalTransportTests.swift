import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("LocalTransport")
struct LocalTransportTests {
  let transport = LocalTransport(host: "node1")

  @Test("passes exit status, standard output and standard error through separately")
  func exitStatusAndStreams() async throws {
    let result = try await transport.run(
      Invocation(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(60))
    )
    #expect(result.status == .exited(3))
    #expect(result.standardOutput == "out\n")
    #expect(result.standardError == "err\n")
    #expect(!result.succeeded)
    #expect(result.elapsed > .zero)
  }

  @Test("exit status 0 is success")
  func success() async throws {
    let result = try await transport.run(Invocation(["true"], timeout: .seconds(60)))
    #expect(result.succeeded)
    #expect(result.standardOutput.isEmpty)
  }

  @Test("runs argv without a shell: metacharacters arrive as plain arguments")
  func noShell() async throws {
    let argv = ["printf", "%s|", "$HOME", "`id`", "a b", "*", "; true"]
    let result = try await transport.run(Invocation(argv, timeout: .seconds(60)))
    #expect(result.standardOutput == "$HOME|`id`|a b|*|; true|")
  }

  @Test("writes standard input, or connects /dev/null")
  func standardInput() async throws {
    let fed = try await transport.run(
      Invocation(["cat"], timeout: .seconds(60), standardInput: "line 1\nline 2\n")
    )
    #expect(fed.standardOutput == "line 1\nline 2\n")
    let empty = try await transport.run(Invocation(["cat"], timeout: .seconds(60)))
    #expect(empty.standardOutput == "")
    #expect(empty.succeeded)
  }

  @Test("a command killed by a signal reports the signal")
  func signaled() async throws {
    let result = try await transport.run(
      Invocation(["sh", "-c", "kill -TERM $$"], timeout: .seconds(60))
    )
    #expect(result.status == .signaled(15))
  }

  @Test("exit status 255 means the host is unreachable, with standard error quoted")
  func unreachable() async throws {
    let invocation = Invocation(
      ["sh", "-c", "echo 'host 10.0.0.2 is down' >&2; exit 255"],
      display: "microk8s status",
      timeout: .seconds(60)
    )
    let error = try #require(await expectFailure(transport, invocation))
    #expect(error.reason == .unreachable(detail: "host 10.0.0.2 is down"))
    #expect(error.isUnreachable)
    #expect(error.description.hasPrefix("node1: cannot reach the host to run 'microk8s status'"))
    #expect(error.description.contains("host 10.0.0.2 is down"))
  }

  @Test("a missing program cannot be launched, and the message says which")
  func missingExecutable() async throws {
    let invocation = Invocation(
      ["mktopo-no-such-program", "status"],
      display: "microk8s status",
      timeout: .seconds(60)
    )
    let error = try #require(await expectFailure(transport, invocation))
    guard case .cannotLaunch(let executable, let detail) = error.reason else {
      Issue.record("expected cannotLaunch, got \(error.reason)")
      return
    }
    #expect(executable == "mktopo-no-such-program")
    #expect(detail.contains("not found on PATH"))
    #expect(!error.isUnreachable)
    #expect(error.description.contains("Install it or put its directory on PATH"))
  }

  @Test("a missing program given by path cannot be launched")
  func missingExecutablePath() async throws {
    let invocation = Invocation(["/nonexistent/microk8s"], timeout: .seconds(60))
    let error = try #require(await expectFailure(transport, invocation))
    guard case .cannotLaunch(let executable, _) = error.reason else {
      Issue.record("expected cannotLaunch, got \(error.reason)")
      return
    }
    #expect(executable == "/nonexistent/microk8s")
  }

  @Test("an empty argv is refused, not run")
  func emptyArgv() async throws {
    let error = try #require(await expectFailure(transport, Invocation([], timeout: .seconds(1))))
    #expect(error.reason == .cannotLaunch(executable: "", detail: "the command is empty"))
  }

  @Test("returns when the command exits, even if a background child keeps its output open")
  func backgroundChildHoldsOutput() async throws {
    try await withScratchDirectory { directory in
      let pidFile = directory + "/child.pid"
      let result = try await transport.run(
        Invocation(
          ["sh", "-c", "sleep 300 & echo $! > \"$1\"; echo done", "sh", pidFile],
          timeout: .seconds(200)
        )
      )
      #expect(result.standardOutput == "done\n")
      // Far below the child's sleep and the timeout (loose: the machine is shared).
      #expect(result.elapsed < .seconds(100))
      // Not ours to keep: it was started by the command, which has exited.
      if let pid = Int32(readFile(pidFile)?.split(separator: "\n").first ?? "") {
        kill(pid, SIGKILL)
      }
    }
  }
}
