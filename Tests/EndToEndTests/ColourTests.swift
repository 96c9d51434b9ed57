import Foundation
import Testing

/// Colour: only when standard error is a terminal, never with NO_COLOR.
@Suite("colour")
struct ColourTests {
  static let invalid = "Tests/Fixtures/schema/invalid/bad-role.yaml"

  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// Runs `command` through /bin/sh under a pseudo-terminal; returns what it showed.
  ///
  /// Standard input, output and error are all on the terminal. Uses util-linux `script`
  /// when there is one, else python3's `pty` module.
  func runUnderPseudoTerminal(
    _ command: String,
    environment: [String: String]
  ) async throws -> (status: Int32, output: String) {
    if let script = which("script") {
      let runner = CommandRunner(executable: URL(fileURLWithPath: script))
      let result = await runner.run(["-qec", command, "/dev/null"], environment: environment)
      return (result.status, result.stdout + result.stderr)
    }
    let python = try #require(
      which("python3"),
      "neither `script` (util-linux) nor python3 is installed; one is needed for a terminal"
    )
    let runner = CommandRunner(executable: URL(fileURLWithPath: python))
    let program = """
      import os, pty, sys
      status = pty.spawn(["/bin/sh", "-c", sys.argv[1]])
      sys.exit(os.waitstatus_to_exitcode(status))
      """
    let result = await runner.run(["-c", program, command], environment: environment)
    return (result.status, result.stdout + result.stderr)
  }

  /// `mktopo validate FILE` as a shell command line, run in the package root.
  func validateCommand(_ file: String, redirectingStderrTo path: String? = nil) -> String {
    var command = "cd \(shellQuote(Paths.packageRoot.path)) && "
    command += "\(shellQuote(mktopo.executable.path)) validate \(shellQuote(file))"
    if let path { command += " 2>\(shellQuote(path))" }
    return command
  }

  @Test("output redirected to files has no escape codes, even with TERM set")
  func noColourWhenRedirected() async throws {
    let directory = try TemporaryDirectory()
    let warnings = try directory.write("pair.yaml", Topologies.twoMixedNodes)
    for arguments in [
      ["validate", Self.invalid],
      ["validate", "--summary", warnings],
      ["validate", "--output", "json", Self.invalid],
      ["schema"],
    ] {
      let result = await mktopo.run(arguments, environment: ["TERM": "xterm-256color"])
      #expect(
        !result.stdout.containsEscape,
        "\(arguments) stdout: \(result.stdout.debugDescription)"
      )
      #expect(
        !result.stderr.containsEscape,
        "\(arguments) stderr: \(result.stderr.debugDescription)"
      )
      #expect(!(result.stdout + result.stderr).isEmpty, "\(arguments) printed nothing")
    }
  }

  @Test("under a terminal, errors are coloured")
  func colourOnTerminal() async throws {
    let (status, output) = try await runUnderPseudoTerminal(
      validateCommand(Self.invalid),
      environment: ["TERM": "xterm"]
    )
    #expect(status == 1, "\(output.debugDescription)")
    #expect(output.contains("\u{1B}["), "no ANSI colour on a terminal: \(output.debugDescription)")
    // Red bold `error:`, and the text is still all there between the codes.
    #expect(output.contains("\u{1B}[1;31merror:\u{1B}[0m"), "\(output.debugDescription)")
    #expect(output.contains("bad-role.yaml:10:11: "), "\(output.debugDescription)")
  }

  @Test("under a terminal with NO_COLOR=1, no escape codes")
  func noColourWithNoColor() async throws {
    let (status, output) = try await runUnderPseudoTerminal(
      validateCommand(Self.invalid),
      environment: ["TERM": "xterm", "NO_COLOR": "1"]
    )
    #expect(status == 1, "\(output.debugDescription)")
    #expect(!output.containsEscape, "\(output.debugDescription)")
    let first = output.replacingOccurrences(of: "\r\n", with: "\n").lines.first ?? ""
    #expect(first.hasPrefix("\(Self.invalid):10:11: error: "), "\(first)")
  }

  @Test("under a terminal with stderr redirected to a file, the file has no escape codes")
  func colourFollowsStandardError() async throws {
    let directory = try TemporaryDirectory()
    let errors = directory.url.appendingPathComponent("stderr.txt").path
    let (status, _) = try await runUnderPseudoTerminal(
      validateCommand(Self.invalid, redirectingStderrTo: errors),
      environment: ["TERM": "xterm"]
    )
    #expect(status == 1)
    let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: errors)), as: UTF8.self)
    #expect(text.hasPrefix("\(Self.invalid):10:11: error: "), "\(text.debugDescription)")
    #expect(!text.containsEscape, "\(text.debugDescription)")
  }
}
