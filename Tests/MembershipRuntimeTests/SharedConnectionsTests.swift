import Synchronization
import Testing

@testable import MembershipRuntime

/// The gate in front of each host's shared ssh connection, with a stand-in opener that
/// counts its runs and finishes only when the test lets it: no test here depends on how
/// fast the machine is.
@Suite("Shared ssh connections: one opener per host")
struct SharedConnectionsTests {
  /// An opener held until `finish()`; then it ends with `status`.
  actor Opener {
    private(set) var calls = 0
    private var held: [CheckedContinuation<Void, Never>] = []
    private var finished = false
    let status: Int32

    init(status: Int32) { self.status = status }

    func open() async -> CommandResult? {
      calls += 1
      if !finished { await withCheckedContinuation { held.append($0) } }
      return CommandResult(
        status: .exited(status),
        standardOutput: "",
        standardError: status == 0 ? "" : "ssh: connect to host 127.0.0.9 port 22: refused",
        elapsed: .zero
      )
    }

    func finish() {
      finished = true
      held.forEach { $0.resume() }
      held = []
    }

    /// A closure for `enter`.
    nonisolated var closure: @Sendable () async -> CommandResult? { { await self.open() } }
  }

  /// Waits (without a clock) until `count` commands wait for the opener of `key`.
  static func waitForWaiters(_ connections: SharedConnections, _ key: String, _ count: Int) async {
    while await connections.waitingCount(key) < count { await Task.yield() }
  }

  @Test("eight commands at once: the connection is opened once, then all go")
  func openedOnce() async {
    let connections = SharedConnections()
    let opener = Opener(status: 0)
    let results = await withTaskGroup(of: SharedConnections.Entry.self) { group in
      for _ in 0..<8 {
        group.addTask { await connections.enter("a", persist: .seconds(60), open: opener.closure) }
      }
      await Self.waitForWaiters(connections, "a", 8)
      await opener.finish()
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results == Array(repeating: .entered, count: 8))
    #expect(await opener.calls == 1)
    // Another host has a connection of its own.
    #expect(await connections.enter("b", persist: .seconds(60), open: opener.closure) == .entered)
    #expect(await opener.calls == 2)
  }

  @Test("a host ssh cannot reach: every waiting command gets that failure, one attempt")
  func unreachable() async {
    let connections = SharedConnections()
    let opener = Opener(status: 255)
    let results = await withTaskGroup(of: SharedConnections.Entry.self) { group in
      for _ in 0..<5 {
        group.addTask { await connections.enter("a", persist: .seconds(60), open: opener.closure) }
      }
      await Self.waitForWaiters(connections, "a", 5)
      await opener.finish()
      return await group.reduce(into: []) { $0.append($1) }
    }
    for result in results {
      guard case .unreachable(let failed) = result else {
        Issue.record("expected the opener's failure, got \(result)")
        continue
      }
      #expect(failed.status == .exited(255))
    }
    #expect(await opener.calls == 1)
    // The next command tries again: the host may be back.
    _ = await connections.enter("a", persist: .seconds(60), open: opener.closure)
    #expect(await opener.calls == 2)
  }

  @Test("a command waiting for a hung opener leaves when cancelled (a read deadline)")
  func cancelled() async {
    let connections = SharedConnections()
    let opener = Opener(status: 0)
    let waiter = Task { await connections.enter("a", persist: .seconds(60), open: opener.closure) }
    await Self.waitForWaiters(connections, "a", 1)
    waiter.cancel()
    // The opener is still held: only the cancellation can have let the waiter go.
    #expect(await waiter.value == .bypassed)
    #expect(await connections.waitingCount("a") == 0)
    await opener.finish()
  }

  @Test("in use, never reopened; idle for half of ControlPersist, or closed: opened again")
  func reopened() async throws {
    let connections = SharedConnections()
    let opener = Opener(status: 0)
    await opener.finish()
    let persist = Duration.milliseconds(100)
    #expect(await connections.enter("a", persist: persist, open: opener.closure) == .entered)
    // In use: however long, no new opener.
    try await Task.sleep(for: persist * 2)
    #expect(await connections.enter("a", persist: persist, open: opener.closure) == .entered)
    #expect(await opener.calls == 1)
    await connections.leave("a")
    await connections.leave("a")
    // Idle for at least half of ControlPersist (sleeping takes at least that long).
    try await Task.sleep(for: persist / 2)
    _ = await connections.enter("a", persist: persist, open: opener.closure)
    #expect(await opener.calls == 2)
    await connections.leave("a")
    await connections.forget("a")
    _ = await connections.enter("a", persist: .seconds(60), open: opener.closure)
    #expect(await opener.calls == 3)
  }
}
