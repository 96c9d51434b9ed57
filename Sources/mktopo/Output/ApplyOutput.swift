import MembershipCore
import MembershipRuntime

/// Where `apply` says what it does: text for people (the plan, live progress, a
/// summary) or, with `--output json`, one JSON record per event on standard output.
///
/// Errors and warnings go to standard error as text either way, so a CI log still reads;
/// in JSON mode they are records on standard output as well.
struct ApplyOutput: Sendable {
  private let progress: ApplyProgress?
  private let events: ApplyEventLog?

  init(format: OutputFormat) {
    switch format {
    case .text:
      progress = ApplyProgress(live: Terminal.isInteractive(.standardOutput))
      events = nil
    case .json:
      progress = nil
      events = ApplyEventLog()
    }
  }

  /// The plan that is about to be approved or carried out.
  func plan(_ plan: Plan) {
    if let events { return events.plan(plan) }
    Terminal.write(PlanRenderer.text(plan), to: .standardOutput)
  }

  /// Apply refuses: the message (without "error: ") on standard error, and as a record.
  func error(_ message: String) {
    Terminal.write("error: \(message)\n", to: .standardError)
    events?.error(message.trimmedTrailingNewlines)
  }

  /// Something apply does before the changes, told on standard output (a note record in
  /// JSON mode).
  func say(_ message: String) {
    if let events { return events.note(message.trimmedTrailingNewlines) }
    Terminal.write(message, to: .standardOutput)
  }

  /// What a person watching wants and a JSON stream already says with its records.
  func announce(_ message: String) {
    if events == nil { Terminal.write(message, to: .standardOutput) }
  }

  /// A note that is also wanted on standard error in JSON mode (it concerns a person).
  func note(_ message: String) {
    Terminal.write("note: \(message)\n", to: .standardError)
    events?.note(message)
  }

  func handle(_ event: Reconciler.Event) {
    progress?.handle(event)
    events?.handle(event)
  }

  func noticeStop(cause: String) {
    progress?.noticeStop(cause: cause)
    events?.noticeStop(cause: cause)
  }

  func finish() { progress?.finish() }

  /// The first plan had nothing to do (text mode has said so with the plan).
  func nothingToDo(_ plan: Plan) {
    events?.nothingToDo(plan)
  }

  /// Apply ends with an error: a JSON stream still ends with a record saying so.
  func failed(_ error: Error) {
    events?.failed(error)
  }

  /// The closing words; one that did not converge goes to standard error as text in JSON
  /// mode too, for the person reading the CI log.
  func summary(_ summary: ApplySummary) {
    let converged = summary.outcome.converged
    if let events {
      events.summary(summary)
      if !converged { Terminal.write(summary.text, to: .standardError) }
      return
    }
    Terminal.write("\n" + summary.text, to: converged ? .standardOutput : .standardError)
  }
}

extension String {
  /// Without the newlines text output ends its lines with: a JSON record's message.
  var trimmedTrailingNewlines: String {
    var text = self
    while text.last == "\n" { text.removeLast() }
    return text
  }
}
