import Glibc
import Testing

@testable import MembershipRuntime

/// Serialized: the handler and the flag are process-wide.
///
/// Signals are sent to the process, as a terminal or `kill` sends them, not raised on the
/// test's own thread: Swift's concurrency threads block signals (libdispatch leaves them
/// to a main thread parked in `sigsuspend`), so a `raise` there would stay pending.
/// Each test sends at most one signal to the runner after a reset, because a second one
/// would, by design, kill it; that path is tested in a forked child.
@Suite("StopSignal", .serialized)
struct StopSignalTests {
  @Test(
    "SIGTERM and SIGINT are recorded as a request to stop; reset forgets it",
    arguments: [SIGTERM, SIGINT]
  )
  func recordsSignal(number: Int32) async {
    await withStopSignalInstalled {
      #expect(!StopSignal.requested)
      #expect(StopSignal.signalName == nil)
      #expect(kill(getpid(), number) == 0)
      #expect(await requestArrives())
      #expect(StopSignal.signalName == (number == SIGTERM ? "SIGTERM" : "SIGINT"))
      StopSignal.reset()
      #expect(!StopSignal.requested)
      #expect(StopSignal.signalName == nil)
    }
  }

  @Test("installing twice keeps one handler, and other signals keep their handling")
  func installTwice() async {
    var before = sigaction()
    sigaction(SIGHUP, nil, &before)
    await withStopSignalInstalled {
      StopSignal.install()
      #expect(kill(getpid(), SIGTERM) == 0)
      #expect(await requestArrives())
      #expect(StopSignal.signalName == "SIGTERM")
      var after = sigaction()
      sigaction(SIGHUP, nil, &after)
      #expect(address(after) == address(before))
    }
  }

  @Test("a second signal while stopping ends the process with that signal")
  func secondSignalKills() async {
    await withStopSignalInstalled {
      let child = fork()
      if child == 0 {
        // The forked child has only this thread, whose signals libdispatch blocked.
        // Only async-signal-safe calls from here on: the runner's other threads are gone.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        kill(getpid(), SIGTERM)
        if !StopSignal.requested { _exit(3) }
        kill(getpid(), SIGTERM)
        _exit(4)
      }
      #expect(child > 0)
      var status: Int32 = 0
      while waitpid(child, &status, 0) < 0, errno == EINTR {}
      let signalled = status & 0x7F  // WTERMSIG; nonzero when killed by a signal
      let exitCode = (status >> 8) & 0xFF
      #expect(signalled == SIGTERM, "child exited \(exitCode) (3: first signal lost, 4: survived)")
      #expect(!StopSignal.requested, "the parent received nothing")
    }
  }
}

/// A handler's address, for comparing handlers (function types are not Equatable).
private func address(_ action: sigaction) -> UInt? {
  action.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: UInt.self) }
}

/// Polls for the handler to run on whichever thread took the signal (at most 5 s).
private func requestArrives() async -> Bool {
  let clock = ContinuousClock()
  let deadline = clock.now + .seconds(5)
  while !StopSignal.requested, clock.now < deadline {
    try? await Task.sleep(for: .milliseconds(5))
  }
  guard StopSignal.requested else {
    // Ignoring a signal discards it if still pending, so a signal that never arrived
    // cannot reach the runner's own handling later.
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    return false
  }
  return true
}

/// Runs `body` with the handler installed and the flag clear, then restores the test
/// runner's own handling of SIGINT and SIGTERM.
private func withStopSignalInstalled(_ body: () async -> Void) async {
  var saved = [sigaction(), sigaction()]
  sigaction(SIGINT, nil, &saved[0])
  sigaction(SIGTERM, nil, &saved[1])
  StopSignal.reset()
  StopSignal.install()
  await body()
  StopSignal.reset()
  sigaction(SIGINT, &saved[0], nil)
  sigaction(SIGTERM, &saved[1], nil)
}
