import Foundation
import Testing

/// `mktopo apply` on a terminal that script(1) makes, with what the operator types.
extension ApplyLab {
  /// `mktopo apply -f FILE` on a terminal (script(1) makes one), typing `answer`; the
  /// terminal's output is standard output.
  func applyInTerminal(_ file: String, answer: String) async -> CommandRunner.Output {
    let command = ([mktopo.executable.path, "apply", "-f", file, "--state-dir", stateDirectory])
      .map(shellQuote).joined(separator: " ")
    let terminal = CommandRunner(executable: URL(fileURLWithPath: which("script") ?? "script"))
    let result = await terminal.run(
      ["-qec", command, "/dev/null"],
      stdin: Array((answer + "\n").utf8),
      environment: environment
    )
    keep(result)
    return result
  }

  /// `mktopo apply -f FILE` on a terminal, typing each text after its delay (seconds,
  /// counted from the one before).
  func applyInTerminal(
    _ file: String,
    typing: [(delay: Double, text: String)]
  ) async -> CommandRunner.Output {
    let command = ([mktopo.executable.path, "apply", "-f", file, "--state-dir", stateDirectory])
      .map(shellQuote).joined(separator: " ")
    let feed = typing.map { "sleep \($0.delay); printf '%s' \(shellQuote($0.text))" }
      .joined(separator: "; ")
    let shell = CommandRunner(executable: URL(fileURLWithPath: "/bin/sh"))
    let result = await shell.run(
      ["-c", "(\(feed)) | script -qec \(shellQuote(command)) /dev/null"],
      environment: environment
    )
    keep(result)
    return result
  }
}
