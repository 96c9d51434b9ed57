/// What one command printed and how it ended: the input of every `MicroK8sOutput` parser.
///
/// MicroK8s prints the same message on stdout from one wrapper and on stderr from
/// another (microk8s-contract.md section 1), so parsers look for messages in both.
public struct CommandOutput: Sendable, Equatable {
  /// The exit status; 127 when the shell found no such command.
  public var exitStatus: Int32
  public var stdout: String
  public var stderr: String

  public init(exitStatus: Int32, stdout: String = "", stderr: String = "") {
    self.exitStatus = exitStatus
    self.stdout = stdout
    self.stderr = stderr
  }

  /// Both streams, stdout first, for finding a message whichever stream it went to.
  var text: String { stderr.isEmpty ? stdout : stdout + "\n" + stderr }

  /// The lines of both streams with surrounding whitespace removed, empty lines dropped.
  var lines: [Substring] {
    text.split(whereSeparator: \.isNewline).map(\.trimmed).filter { !$0.isEmpty }
  }

  /// Whether either stream contains `phrase`.
  func mentions(_ phrase: String) -> Bool {
    stdout.contains(phrase) || stderr.contains(phrase)
  }

  /// The first line of either stream that contains `phrase`, trimmed.
  func line(containing phrase: String) -> Substring? {
    guard mentions(phrase) else { return nil }
    return lines.first { $0.contains(phrase) }
  }
}

extension Substring {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmed: Substring {
    // Index arithmetic, not dropLast(): that overload counts the whole string first, and
    // `kubectl get nodes -o json` is hundreds of KB on a large cluster.
    var start = startIndex
    var end = endIndex
    while start < end, self[start].isWhitespace { start = index(after: start) }
    while start < end {
      let before = index(before: end)
      guard self[before].isWhitespace else { break }
      end = before
    }
    return self[start..<end]
  }
}
