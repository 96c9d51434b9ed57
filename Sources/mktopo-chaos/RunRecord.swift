/// One finished run of mktopo in a seed: what ran, how it ended, what it printed.
struct RunRecord: Sendable {
  var number: Int
  var command: RunRecipe.Command
  /// `apply`, `apply, again after SIGKILL`, `apply, convergence 2`.
  var label: String
  /// mktopo's arguments as the replay script gives them (relative paths).
  var arguments: [String]
  /// `runs/03-apply`: the output files' path in the seed's directory, without suffix.
  var outputPrefix: String
  var end: MktopoProcess.End?
  var killedByHarness: Bool
  var seconds: Double
  var stdout: String
  var stderr: String

  /// `apply 1.234 s exit 1`, for the verbose per-seed line.
  var summary: String {
    "\(label) \(SeedRun.format(seconds)) s \(end?.description ?? "timed out")"
  }

  var commandLine: String {
    (["mktopo"] + arguments).joined(separator: " ")
  }

  var exitCode: Int32? {
    if case .exited(let code) = end { return code }
    return nil
  }

  /// Whether the run said the cluster is as the file wants it (README, exit statuses).
  var claimsSuccess: Bool {
    switch command {
    case .apply, .reconcile: return exitCode == 0
    case .plan: return stdout.contains("No changes")
    case .planDetailed: return exitCode == 0 || stdout.contains("No changes")
    case .status: return false
    }
  }

  /// The last lines of what it printed, for evidence.
  var tail: String {
    let lines = (stdout + stderr).split(separator: "\n").suffix(3)
    return lines.map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: " / ")
  }
}
