import MembershipCore
import MembershipRuntime
import Synchronization

/// Prints what `apply` is doing as it happens.
///
/// One block per change, one line per step with the node and the time it took. On a
/// terminal the line of the step in flight is rewritten in place when it finishes;
/// otherwise every event is a plain line, so logs read well.
final class ApplyProgress: Sendable {
  private struct State {
    var total = 0
    var applied = 0
    var changeStarted: ContinuousClock.Instant?
    var openLine = false
  }

  private let live: Bool
  private let state = Mutex(State())
  /// Called as each step starts, before its command runs: the journal's entry.
  private let recordStep: @Sendable (Change, Int, Step) -> Void
  private let clock = ContinuousClock()

  init(live: Bool, recordStep: @escaping @Sendable (Change, Int, Step) -> Void) {
    self.live = live
    self.recordStep = recordStep
  }

  func handle(_ event: Reconciler.Event) {
    switch event {
    case .planned(let plan, let pass, let problems, let notes):
      state.withLock { $0.total = $0.applied + plan.changes.count }
      guard pass > 1 else { return }
      for problem in problems { write("warning: \(problem)\n", error: true) }
      for note in notes { write("note: \(note)\n", error: true) }
    case .changeStarted(let change, let number, let attempt):
      let total = state.withLock { state in
        state.changeStarted = clock.now
        return max(state.total, number)
      }
      let again = attempt > 1 ? " (attempt \(attempt))" : ""
      write("\n[\(number)/\(total)] \(PlanRenderer.title(change))\(again)\n")
    case .execution(let event):
      handle(event)
    case .changeFinished(_, let number):
      let elapsed = state.withLock { state in
        state.applied = number
        return state.changeStarted.map { clock.now - $0 } ?? .zero
      }
      write("      done in \(Self.format(elapsed))\n")
    case .retrying(let error, let attempt, let delay):
      closeLine()
      write(
        "      failed (attempt \(attempt)), trying again in \(Self.format(delay)) with a "
          + "fresh observation:\n" + Self.indented(error.description) + "\n"
      )
    }
  }

  private func handle(_ event: ExecutionEvent) {
    switch event {
    case .stepStarted(let change, let index, let step):
      recordStep(change, index, step)
      let line = "      \(index)/\(change.steps.count) on \(step.host): \(step.commandLine)"
      if live {
        write(line + " ...")
        state.withLock { $0.openLine = true }
      } else {
        write(line + "\n")
      }
    case .waiting(_, _, let condition):
      if live {
        write(" waiting for \(condition) ...")
      } else {
        write("        waiting for \(condition)\n")
      }
    case .stepFinished(let change, let index, let elapsed):
      let done = "ok \(Self.format(elapsed))"
      if live, state.withLock({ $0.openLine }) {
        state.withLock { $0.openLine = false }
        // Rewrite the step's line in place: the waiting text gives way to the result.
        let step = change.steps[index - 1]
        write(
          "\r\u{1B}[K      \(index)/\(change.steps.count) on \(step.host): "
            + "\(step.commandLine)  \(done)\n"
        )
      } else {
        write("        \(done)\n")
      }
    }
  }

  /// Ends a step line left open on a terminal, before printing something else.
  func closeLine() {
    let open = state.withLock { state in
      defer { state.openLine = false }
      return state.openLine
    }
    if open { write("\n") }
  }

  private func write(_ text: String, error: Bool = false) {
    Terminal.write(text, to: error ? .standardError : .standardOutput)
  }

  static func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { "        " + $0 }.joined(separator: "\n")
  }

  /// `0.4s`, `12s`, `3m05s`.
  static func format(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let tenths = Int(seconds) * 10 + Int(attoseconds / 100_000_000_000_000_000)
    if tenths < 100 { return "\(tenths / 10).\(tenths % 10)s" }
    let total = tenths / 10
    if total < 60 { return "\(total)s" }
    let rest = total % 60
    return "\(total / 60)m" + (rest < 10 ? "0" : "") + "\(rest)s"
  }
}
