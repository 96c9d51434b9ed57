import Glibc
import Synchronization

/// SIGINT, SIGTERM and SIGHUP as a request to stop between steps.
///
/// The step in flight finishes, then the run stops with a clear message, because a node
/// left half-joined is worse than a late exit (DESIGN.md section 5). A closed output (EPIPE, as when `| head`
/// has read enough) is a request to stop too (`requestStop`): SIGPIPE is ignored, so
/// writing to it fails instead of killing mktopo mid-step.
///
/// The commands mktopo runs start in sessions of their own (swift-subprocess
/// `createSession`), so a Ctrl-C at the terminal reaches mktopo alone and not the `ssh`
/// or `microk8s join` in flight; that is what lets the step finish. A second signal
/// while stopping restores the default action and re-raises it, so an impatient operator
/// can still end mktopo at once.
///
/// The signals are process-directed (a terminal's Ctrl-C, `kill`): Swift's concurrency
/// threads block signals, and libdispatch parks the main thread in `sigsuspend`, where
/// the handler runs. A `raise` from a task would stay pending on its blocked thread.
public enum StopSignal {
  /// Installs the handler for SIGINT, SIGTERM and SIGHUP, and ignores SIGPIPE.
  ///
  /// Calling it again changes nothing. The commands mktopo runs start with every signal
  /// at its default (swift-subprocess resets them), so they still die of SIGPIPE.
  public static func install() {
    // A global is initialised on first use, under a lock that a signal handler must not
    // take; touching it here makes sure the handler finds it ready.
    _ = receivedSignal.load(ordering: .relaxed)
    signal(SIGPIPE, SIG_IGN)
    for number in [SIGINT, SIGTERM, SIGHUP] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = handleStopSignal
      sigemptyset(&action.sa_mask)
      // Restart interrupted system calls: the step in flight must not fail because of
      // the request to stop after it.
      action.sa_flags = SA_RESTART
      sigaction(number, &action, nil)
    }
  }

  /// Whether a stop was asked for (since the last `reset`, in tests).
  public static var requested: Bool { receivedSignal.load(ordering: .acquiring) != 0 }

  /// Asks to stop as a signal would, the first time only: `SIGPIPE` for a closed output.
  public static func requestStop(_ number: Int32) {
    _ = receivedSignal.compareExchange(
      expected: 0,
      desired: number,
      ordering: .acquiringAndReleasing
    )
  }

  /// "SIGINT", "SIGTERM", "SIGHUP" or "SIGPIPE", whichever came first; nil before any did.
  public static var signalName: String? {
    switch receivedSignal.load(ordering: .acquiring) {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    case SIGPIPE: "SIGPIPE"
    default: nil
    }
  }

  /// What stopped the run, in words: "SIGINT", or "a closed output (SIGPIPE)".
  public static var cause: String? {
    guard let name = signalName else { return nil }
    return name == "SIGPIPE" ? "a closed output (EPIPE)" : name
  }

  /// Forgets a received signal, so that tests start clean.
  ///
  /// The handler stays installed.
  static func reset() {
    receivedSignal.store(0, ordering: .releasing)
  }
}

/// The first stop signal received, 0 for none.
///
/// A C signal handler can reach only globals, and storing to a lock-free atomic is one of
/// the few things it may safely do.
private let receivedSignal = Atomic<Int32>(0)

/// Async-signal-safe: an atomic compare-and-exchange, and on a second signal only `signal` and
/// `raise`, both on POSIX's list of functions a handler may call.
private func handleStopSignal(_ number: Int32) {
  let (first, _) = receivedSignal.compareExchange(
    expected: 0,
    desired: number,
    ordering: .acquiringAndReleasing
  )
  if !first {
    signal(number, SIG_DFL)
    raise(number)
  }
}
