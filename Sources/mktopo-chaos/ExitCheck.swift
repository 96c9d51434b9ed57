/// How a run of mktopo ended: only exit 0, 1, 2 or 64 (or the harness's own SIGKILL),
/// and never a Swift runtime trap on standard error.
enum ExitCheck {
  static let documented: Set<Int32> = [0, 1, 2, 64]

  static func violations(
    end: MktopoProcess.End?,
    killedByHarness: Bool,
    stderr: String,
    timeout: Duration,
    run: Int
  ) -> [Violation] {
    var found: [Violation] = []
    switch end {
    case nil:
      found.append(
        Violation(.crash, "did not finish within \(timeout); the harness killed it", run: run)
      )
    case .signaled(let signal) where !(killedByHarness && signal == 9):
      found.append(Violation(.crash, "ended by signal \(signal)", run: run))
    case .exited(let code) where !documented.contains(code):
      found.append(Violation(.crash, "exited \(code), not 0, 1, 2 or 64", run: run))
    default:
      break
    }
    if let line = stderr.split(separator: "\n").first(where: { $0.contains("Fatal error") }) {
      found.append(Violation(.crash, "standard error says: \(line)", run: run))
    }
    return found
  }
}
