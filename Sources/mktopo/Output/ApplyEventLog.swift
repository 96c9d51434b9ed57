import ArgumentParser
import MembershipCore
import MembershipRuntime
import Synchronization

/// `apply --output json`: one JSON object per line on standard output for each event, for
/// CI systems and dashboards (documented in schema/apply-events.schema.json).
///
/// Every record has `event` and `time` (RFC 3339, UTC) first. The stream opens with the
/// approved `plan` (a `note` about an interrupted run may come first) and ends with a
/// `summary`, or with an `error` when apply refuses or stops on an error; in between, each change is `changeStarted`, then `stepStarted`,
/// `waiting` and `stepFinished` per step, then `changeFinished`, with `retry` when a
/// change is tried again and `warning` and `note` as they are first said. Durations are
/// whole milliseconds.
final class ApplyEventLog: Sendable {
  private struct State {
    /// The approved plan's number of changes, as the text counter counts to.
    var total = 0
    /// The number of the change in flight, which its steps' records carry.
    var number = 0
    /// The change and step in flight, for the notice a stop signal gets.
    var inFlight: (change: Change, index: Int)?
    /// A summary or error record was written: the stream is complete.
    var ended = false
  }

  private let state = Mutex(State())

  func plan(_ plan: Plan) {
    state.withLock { $0.total = plan.changes.count }
    emit("plan", [("plan", PlanRenderer.jsonValue(plan))])
  }

  func handle(_ event: Reconciler.Event) {
    switch event {
    case .planned(_, _, let problems, let notes):
      for problem in problems where SaidOnce.first("warning: \(problem)") {
        emit("warning", [("message", .string(problem.description))])
      }
      for note in notes where SaidOnce.first("note: \(note)") {
        emit("note", [("message", .string(note))])
      }
    case .changeStarted(let change, let number, let attempt):
      let total = state.withLock { state in
        state.number = number
        return max(state.total, number)
      }
      emit(
        "changeStarted",
        [
          ("number", .integer(number)), ("total", .integer(total)),
          ("attempt", .integer(attempt)), ("title", .string(PlanRenderer.title(change))),
          ("change", PlanRenderer.json(change)),
        ]
      )
    case .execution(let event):
      handle(event)
    case .changeFinished(_, let number):
      state.withLock { $0.inFlight = nil }
      emit("changeFinished", [("number", .integer(number))])
    case .retrying(let error, let attempt, let delay):
      state.withLock { $0.inFlight = nil }
      emit(
        "retry",
        [
          ("number", .integer(state.withLock { $0.number })), ("attempt", .integer(attempt)),
          ("delayMilliseconds", .integer(Self.milliseconds(delay))),
          ("error", .string(error.description)),
        ]
      )
    }
  }

  private func handle(_ event: ExecutionEvent) {
    let number = JSONValue.integer(state.withLock { $0.number })
    switch event {
    case .stepStarted(let change, let index, let step):
      state.withLock { $0.inFlight = (change, index) }
      emit(
        "stepStarted",
        [
          ("number", number), ("step", .integer(index)), ("steps", .integer(change.steps.count)),
          ("verb", .string(step.verb.rawValue)), ("host", .string(step.host)),
          ("command", .string(step.commandLine)),
        ]
      )
    case .waiting(_, let index, let condition):
      emit("waiting", [("number", number), ("step", .integer(index)), ("for", .string(condition))])
    case .stepFinished(_, let index, let elapsed):
      emit(
        "stepFinished",
        [
          ("number", number), ("step", .integer(index)),
          ("milliseconds", .integer(Self.milliseconds(elapsed))),
        ]
      )
    }
  }

  /// The first stop signal: what apply finishes first, on standard error and as a note.
  func noticeStop(cause: String) {
    let notice = ApplyProgress.stopNotice(cause: cause, inFlight: state.withLock { $0.inFlight })
    Terminal.write(notice + "\n", to: .standardError)
    note(notice)
  }

  /// A refusal before anything was changed; apply then exits 1.
  func error(_ message: String) {
    state.withLock { $0.ended = true }
    emit("error", [("message", .string(message))])
  }

  /// An error that ends apply, when no record has said so yet: its words, or where to
  /// find them (an exit status thrown after the reason went to standard error).
  func failed(_ error: Error) {
    guard !state.withLock({ $0.ended }) else { return }
    let message =
      error is ExitCode
      ? "apply stopped; standard error says why" : String(describing: error)
    self.error(message)
  }

  func note(_ message: String) {
    emit("note", [("message", .string(message))])
  }

  func summary(_ summary: ApplySummary) {
    let outcome = summary.outcome
    end(
      converged: outcome.converged,
      stopped: outcome.stopped,
      applied: outcome.applied,
      approved: outcome.approvedCount,
      blocked: outcome.plan?.blocked ?? [],
      failure: outcome.failure?.description,
      elapsed: summary.elapsed,
      message: summary.text.trimmedTrailingNewlines
    )
  }

  /// The summary of an apply whose first plan had nothing to do.
  func nothingToDo(_ plan: Plan) {
    end(
      converged: true,
      stopped: false,
      applied: [],
      approved: 0,
      blocked: [],
      failure: nil,
      elapsed: .zero,
      message: plan.kept.isEmpty
        ? "Nothing to do: cluster membership matches the topology."
        : "Nothing to do. " + PlanRenderer.keptSentence(plan)
    )
  }

  private func end(
    converged: Bool,
    stopped: Bool,
    applied: [Change],
    approved: Int,
    blocked: [BlockedChange],
    failure: String?,
    elapsed: Duration,
    message: String
  ) {
    state.withLock { $0.ended = true }
    emit(
      "summary",
      [
        ("converged", .boolean(converged)), ("stopped", .boolean(stopped)),
        ("applied", .array(applied.map { .string(PlanRenderer.title($0)) })),
        ("approved", .integer(approved)),
        (
          "blocked",
          .array(
            blocked.map {
              .object([
                ("action", .string($0.action.rawValue)), ("node", .string($0.node)),
                ("reason", .string($0.reason)),
              ])
            }
          )
        ),
        ("failure", failure.map { .string($0) } ?? .null),
        ("milliseconds", .integer(Self.milliseconds(elapsed))),
        ("message", .string(message)),
      ]
    )
  }

  private func emit(_ event: String, _ fields: [(String, JSONValue)]) {
    let record = JSONValue.object(
      [("event", .string(event)), ("time", .string(UTCTimestamp.now()))] + fields
    )
    Terminal.write(record.line(), to: .standardOutput)
  }

  static func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
  }
}
