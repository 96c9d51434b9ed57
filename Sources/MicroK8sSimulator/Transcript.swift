/// The output of one command as it is being produced, line by line.
struct Transcript {
  var stdout = ""
  var stderr = ""

  /// A line on standard output, as Python's `print` writes it.
  mutating func out(_ line: String = "") {
    stdout += line + "\n"
  }

  /// Text on standard output without a line break (`print(..., end=" ")`).
  mutating func write(_ text: String) {
    stdout += text
  }

  mutating func err(_ line: String) {
    stderr += line + "\n"
  }

  func exit(_ code: Int32, pause: Double = 0) -> CommandOutcome {
    CommandOutcome(stdout: stdout, stderr: stderr, exitCode: code, pause: pause)
  }
}
