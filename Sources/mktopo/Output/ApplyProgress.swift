import MembershipCore
import MembershipRuntime
import Synchronization

/// Prints what `apply` is doing as it happens.
///
/// One block per change, one line per step with the node and the time it took. On a
/// terminal the line of the step in flight is live: it shows what the step waits for
/// and the seconds so far, and turns into the result when the step finishes. Otherwise
/// every event is a plain line, so logs read well.
final class ApplyProgress: Sendable {
  private struct State {
    /// The approved plan's number of changes: what the counter counts to.
    ///
    /// Re-plans after each change can show fewer (a lazy pass plans only up to the next
    /// join).
    var total = 0
    var applied = 0
    var changeStarted: ContinuousClock.Instant?
    var openLine = false
    /// The step in flight on a terminal: its line, what it waits for, since when.
    var livePrefix = ""
    var liveLine: String?
    var liveCondition: String?
    var stepStarted: ContinuousClock.Instant?
    var ticker: Task<Void, Never>?
    /// The change and step in flight, for the notice a stop signal gets.
    var inFlight: (change: Change, index: Int)?
  }

  private let live: Bool
  private let state = Mutex(State())
  private let clock = ContinuousClock()

  init(live: Bool) {
    self.live = live
  }

  func handle(_ event: Reconciler.Event) {
    switch event {
    case .planned(let plan, let pass, let problems, let notes):
      if pass == 1 { state.withLock { $0.total = plan.changes.count } }
      // Each warning and note once per apply, the first observation's included.
      let lines = problems.map { "warning: \($0)\n" } + notes.map { "note: \($0)\n" }
      for line in lines where SaidOnce.first(line) { write(line, error: true) }
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
        state.inFlight = nil
        return state.changeStarted.map { clock.now - $0 } ?? .zero
      }
      write("      done in \(Self.format(elapsed))\n")
    case .retrying(let error, let attempt, let delay):
      state.withLock { $0.inFlight = nil }
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
      state.withLock { $0.inFlight = (change, index) }
      let line = "      \(index)/\(change.steps.count) on \(step.host): \(step.commandLine)"
      guard live else {
        write(line + "\n")
        return
      }
      state.withLock { state in
        state.openLine = true
        state.livePrefix = "      \(index)/\(change.steps.count) on \(step.host): "
        state.liveLine = line
        state.liveCondition = nil
        state.stepStarted = clock.now
        if state.ticker == nil {
          state.ticker = Task { [weak self] in
            while !Task.isCancelled {
              try? await Task.sleep(for: .seconds(1))
              self?.redraw()
            }
          }
        }
      }
      redraw()
    case .waiting(_, _, let condition):
      if live {
        state.withLock { $0.liveCondition = condition }
        redraw()
      } else {
        write("        waiting for \(condition)\n")
      }
    case .stepFinished(let change, let index, let elapsed):
      let done = "ok \(Self.format(elapsed))"
      let wasLive = state.withLock { state in
        defer {
          state.openLine = false
          state.liveLine = nil
        }
        return state.openLine
      }
      if live, wasLive {
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

  /// Rewrites the live line: the step, what it waits for, the seconds so far; cut to
  /// the terminal's width, as a wrapped line could not be rewritten in place.
  private func redraw() {
    let text: String? = state.withLock { state in
      guard let line = state.liveLine, let start = state.stepStarted else { return nil }
      let elapsed = " (\(Self.format(clock.now - start)))"
      // While it waits, what it waits for says more than the command shown already.
      guard let condition = state.liveCondition else { return line + elapsed }
      return state.livePrefix + "waiting for \(condition)" + elapsed
    }
    guard let text else { return }
    let width = max(20, (Terminal.width ?? 80) - 1)
    let shown = text.count > width ? String(text.prefix(width - 1)) + "…" : text
    write("\r\u{1B}[K" + shown)
  }

  /// Says, once a stop is asked for, what apply finishes first and what a second
  /// signal would leave behind (on standard error, which stays open when `| head` closes
  /// standard output).
  func noticeStop(cause: String) {
    let inFlight = state.withLock { $0.inFlight }
    closeLine()
    write("\n" + Self.stopNotice(cause: cause, inFlight: inFlight) + "\n", error: true)
  }

  /// What apply finishes before it stops, and what a second signal would leave.
  static func stopNotice(cause: String, inFlight: (change: Change, index: Int)?) -> String {
    guard let (change, index) = inFlight else {
      return "\(cause): stopping before the next change."
    }
    let step = change.steps[index - 1]
    let node = change.node
    let risk: String
    switch change.action {
    case .join: risk = "\(node) joined but not yet confirmed Ready"
    case .remove: risk = "\(node) out of the datastore with its Node still registered"
    case .changeRole: risk = "\(node) out of the cluster until it joins again"
    case .cleanupGhost: risk = "the ghost \(node) perhaps still in the datastore"
    case .install: risk = "MicroK8s on \(node) installed but not yet confirmed ready"
    case .upgrade: risk = "\(node) cordoned, or refreshed but not yet confirmed Ready"
    }
    return "\(cause): finishing \(PlanRenderer.title(change)), step \(index) of "
      + "\(change.steps.count) (\(step.verb.rawValue) on \(step.host)), then stopping. "
      + "Another signal ends mktopo at once and may leave \(risk); the next apply carries "
      + "on from what the cluster shows."
  }

  /// Stops the live line's clock.
  func finish() {
    state.withLock { state in
      state.ticker?.cancel()
      state.ticker = nil
    }
    closeLine()
  }

  /// Ends a step line left open on a terminal, before printing something else.
  func closeLine() {
    let open = state.withLock { state in
      defer {
        state.openLine = false
        state.liveLine = nil
      }
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
