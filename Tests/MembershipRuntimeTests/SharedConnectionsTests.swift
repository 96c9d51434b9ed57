import Synchronization
import Testing

@testable import MembershipRuntime

/// The gate in front of each host's shared ssh connection, with a stand-in opener that
/// counts how often it runs.
@Suite("Shared ssh connections: one opener per host")
struct SharedConnectionsTests {
  final class Opener: Sendable {
    let calls = Mutex(0)
    let status: Int32
    let delay: Duration

    /// `delay`: long enough for every other caller to arrive while it runs.
    init(status: Int32, delay: Duration = .milliseconds(200)) {
      self.status = status
      self.delay = delay
    }

    @Sendable func open() async -> CommandResult? {
      calls.withLock { $0 += 1 }
      try? await Task.sleep(for: delay)
      return CommandResult(
        status: .exited(status),
        standardOutput: "",
        standardError: status == 0 ? "" : "ssh: connect to host 127.0.0.9 port 22: refused",
        elapsed: .milliseconds(200)
      )
    }
  }

  @Test("eight commands at once: the connection is opened once, then all go")
  func openedOnce() async {
    let connections = SharedConnections()
    let opener = Opener(status: 0)
    let results = await withTaskGroup(of: CommandResult?.self) { group in
      for _ in 0..<8 {
        group.addTask {
          let result = await connections.enter("a", persist: .seconds(60), open: opener.open)
          await connections.leave("a")
          return result
        }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.allSatisfy { $0 == nil })
    #expect(opener.calls.withLock { $0 } == 1)
    // Another host has a connection of its own.
    _ = await connections.enter("b", persist: .seconds(60), open: opener.open)
    #expect(opener.calls.withLock { $0 } == 2)
  }

  @Test("a host ssh cannot reach: every waiting command gets that failure, one attempt")
  func unreachable() async {
    let connections = SharedConnections()
    let opener = Opener(status: 255)
    let results = await withTaskGroup(of: CommandResult?.self) { group in
      for _ in 0..<5 {
        group.addTask { await connections.enter("a", persist: .seconds(60), open: opener.open) }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.allSatisfy { $0?.status == .exited(255) })
    #expect(opener.calls.withLock { $0 } == 1)
    // The next command tries again: the host may be back.
    _ = await connections.enter("a", persist: .seconds(60), open: opener.open)
    #expect(opener.calls.withLock { $0 } == 2)
  }

  @Test("a command waiting for a slow opener leaves at once when cancelled (a read deadline)")
  func cancelled() async {
    let connections = SharedConnections()
    let opener = Opener(status: 0, delay: .seconds(5))
    let clock = ContinuousClock()
    let start = clock.now
    let waiter = Task { await connections.enter("a", persist: .seconds(60), open: opener.open) }
    try? await Task.sleep(for: .milliseconds(100))
    waiter.cancel()
    #expect(await waiter.value == nil)
    #expect(clock.now - start < .seconds(3))
  }

  @Test("idle for half of ControlPersist, or closed: opened again before the next command")
  func reopened() async throws {
    let connections = SharedConnections()
    let opener = Opener(status: 0)
    _ = await connections.enter("a", persist: .milliseconds(400), open: opener.open)
    // In use: never reopened, however long.
    try await Task.sleep(for: .milliseconds(300))
    _ = await connections.enter("a", persist: .milliseconds(400), open: opener.open)
    #expect(opener.calls.withLock { $0 } == 1)
    await connections.leave("a")
    await connections.leave("a")
    try await Task.sleep(for: .milliseconds(300))
    _ = await connections.enter("a", persist: .milliseconds(400), open: opener.open)
    #expect(opener.calls.withLock { $0 } == 2)
    await connections.leave("a")
    await connections.forget("a")
    _ = await connections.enter("a", persist: .seconds(60), open: opener.open)
    #expect(opener.calls.withLock { $0 } == 3)
  }
}
