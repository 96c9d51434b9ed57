import Glibc
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// A timeout must stop everything the command started, not only the command itself:
/// ssh helpers, `sh -c` pipelines and a simulator's children included.
@Suite("Timeouts")
struct ProcessTreeTimeoutTests {
  let transport = LocalTransport(host: "node1")

  /// Long enough for `sh` to start and write the pid file on a loaded machine.
  static let timeout: Duration = .seconds(10)

  /// Runs `script` (which writes its grandchild's pid to `$1`) until its timeout, and
  /// returns the error, the grandchild's pid and how long the run took.
  private func runUntilTimeout(
    _ script: String,
    in directory: String
  ) async throws -> (TransportError, pid_t, Duration) {
    let pidFile = directory + "/grandchild.pid"
    let invocation = Invocation(
      ["sh", "-c", script, "sh", pidFile],
      display: "microk8s join",
      timeout: Self.timeout
    )
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(await expectFailure(transport, invocation))
    let elapsed = clock.now - start
    let text = try #require(readFile(pidFile), "the command never wrote \(pidFile)")
    let pid = try #require(pid_t(text.split(separator: "\n").first ?? ""))
    return (error, pid, elapsed)
  }

  @Test("kills the whole process tree, grandchildren included")
  func killsGrandchild() async throws {
    try await withScratchDirectory { directory in
      let (error, grandchild, elapsed) = try await runUntilTimeout(
        "sleep 300 & echo $! > \"$1\"; wait",
        in: directory
      )
      #expect(error.reason == .timedOut(after: Self.timeout))
      // Far below the sleep: the kill, not the sleep, ended it (loose: the machine is shared).
      #expect(elapsed < .seconds(120))
      #expect(await waitUntilNotRunning(grandchild), "grandchild \(grandchild) survived")
    }
  }

  @Test("kills a tree that ignores SIGTERM, after the grace period")
  func ignoresTerm() async throws {
    try await withScratchDirectory { directory in
      let (error, grandchild, elapsed) = try await runUntilTimeout(
        "trap '' TERM; sleep 300 & echo $! > \"$1\"; wait",
        in: directory
      )
      #expect(error.reason == .timedOut(after: Self.timeout))
      #expect(elapsed >= Self.timeout + ChildProcess.gracePeriod)
      #expect(elapsed < .seconds(120))
      #expect(await waitUntilNotRunning(grandchild), "grandchild \(grandchild) survived")
    }
  }

  @Test("output that trickles forever does not hold off the deadline, nor does ignoring SIGTERM")
  func tricklingOutput() async throws {
    try await withScratchDirectory { directory in
      let (error, grandchild, elapsed) = try await runUntilTimeout(
        "trap '' TERM; (trap '' TERM; while :; do echo tick; sleep 0.1; done) & "
          + "echo $! > \"$1\"; wait",
        in: directory
      )
      #expect(error.reason == .timedOut(after: Self.timeout))
      #expect(elapsed < .seconds(120))
      #expect(await waitUntilNotRunning(grandchild), "the trickling loop \(grandchild) survived")
    }
  }

  @Test("kills a grandchild that ignores SIGTERM when the command itself obeys it")
  func leaderExitsFirst() async throws {
    // swift-subprocess ends its teardown when the group leader exits; the sweep
    // after the timeout must still reach the grandchild.
    try await withScratchDirectory { directory in
      let (error, grandchild, _) = try await runUntilTimeout(
        "(trap '' TERM; exec sleep 300) & echo $! > \"$1\"; wait",
        in: directory
      )
      #expect(error.reason == .timedOut(after: Self.timeout))
      #expect(await waitUntilNotRunning(grandchild), "grandchild \(grandchild) survived")
    }
  }

  @Test("names the host, the display command and the limit")
  func message() async throws {
    let invocation = Invocation(
      ["sleep", "30"],
      display: "microk8s status",
      timeout: .milliseconds(200)
    )
    let error = try #require(await expectFailure(transport, invocation))
    #expect(
      error.description
        == "node1: 'microk8s status' did not finish within 200ms; it was stopped, with every "
        + "process it started. Check the host, or allow more time."
    )
  }

  @Test("a cancelled caller stops the command and gets an error, not a result")
  func cancellation() async throws {
    let task = Task {
      try await transport.run(Invocation(["sleep", "300"], timeout: .seconds(600)))
    }
    try await Task.sleep(for: .milliseconds(200))
    task.cancel()
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = await task.result
    // Far below the sleep and the timeout (loose: the machine is shared).
    #expect(clock.now - start < .seconds(120))
    guard case .failure(let error) = outcome, let error = error as? TransportError else {
      Issue.record("expected a TransportError, got \(outcome)")
      return
    }
    #expect(error.reason == .cancelled)
  }
}

@Suite("Output limit")
struct OutputLimitTests {
  let transport = LocalTransport(host: "node1")

  @Test("more than 8 MiB on standard output is refused with a clear error")
  func defaultLimit() async throws {
    let invocation = Invocation(
      ["head", "-c", "9000000", "/dev/zero"],
      display: "microk8s kubectl get nodes",
      timeout: .seconds(20)
    )
    let error = try #require(await expectFailure(transport, invocation))
    #expect(error.reason == .outputTooLarge(stream: .standardOutput, limit: 8 * 1024 * 1024))
    #expect(
      error.description.hasPrefix(
        "node1: 'microk8s kubectl get nodes' wrote more than 8 MiB to standard output"
      )
    )
  }

  @Test("exactly the limit is accepted")
  func atLimit() async throws {
    let result = try await transport.run(
      Invocation(["head", "-c", "4096", "/dev/zero"], timeout: .seconds(60), outputLimit: 4096)
    )
    #expect(result.standardOutput.utf8.count == 4096)
  }

  @Test("an endless writer on standard error is stopped, not buffered")
  func endlessStandardError() async throws {
    let invocation = Invocation(
      ["sh", "-c", "yes >&2"],
      timeout: .seconds(120),
      outputLimit: 64 * 1024
    )
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(await expectFailure(transport, invocation))
    // Stopped for its output, long before its timeout: not a timeout, and not a wait
    // for memory to run out. The bound is loose, as other tests load the machine.
    #expect(error.reason == .outputTooLarge(stream: .standardError, limit: 64 * 1024))
    #expect(clock.now - start < .seconds(60))
  }
}
