/// Pure parsers for the output of the MicroK8s CLI commands mktopo runs.
///
/// Each parser takes one command's `CommandOutput` and returns what it means, or throws
/// the `MicroK8sFailure` it recognises. Garbage, truncated or unexpected output is a
/// typed failure (`malformed` or `unrecognised`), never a crash. The texts matched here
/// are MicroK8s's own, as microk8s-contract.md gives them; each is cited where it drives
/// behaviour.
public enum MicroK8sOutput {
  /// The failures every command can report before doing its own work (contract
  /// section 1), for a command that exited non-zero.
  ///
  /// `command` is the subcommand run, for the worker refusal's message.
  static func commonFailure(_ output: CommandOutput, command: String) -> MicroK8sFailure? {
    guard output.exitStatus != 0 else { return nil }
    if output.exitStatus == 127 || output.mentions("command not found")
      || output.mentions("microk8s: No such file or directory")
    {
      return .notInstalled
    }
    if output.mentions("sudo: a password is required")
      || output.mentions("sudo: a terminal is required")
      || output.mentions("sudo: no tty present")
    {
      return .sudoPasswordRequired
    }
    if output.mentions("Insufficient permissions to access MicroK8s") {
      return .insufficientPermissions
    }
    if output.mentions("Elevated permissions are needed for this command") { return .needsRoot }
    // Stopped: stderr for add-node, leave and kubectl, exit 1 (contract section 1).
    if output.mentions("microk8s is not running, try microk8s start") { return .stopped }
    // "is acting as": the leave refusal says "is not acting as" (contract section 4).
    if output.mentions("This MicroK8s deployment is acting as a node in a cluster") {
      return .workerNode(command: command)
    }
    if let line = output.line(containing: "is not a valid MicroK8s subcommand") {
      return .unknownSubcommand(Redaction.excerpt(String(quoted(in: line) ?? line), limit: 100))
    }
    if output.mentions("does not have enough RAM to host the Kubernetes control plane") {
      return .lowMemory
    }
    return nil
  }

  /// kubectl's own words when it could not talk to the API server, for the commands
  /// that run kubectl: remove-node repeats them before its own message (contract
  /// section 5).
  static func apiServerFailure(_ output: CommandOutput) -> MicroK8sFailure? {
    guard output.exitStatus != 0 else { return nil }
    let phrases = [
      "The connection to the server", "Unable to connect to the server",
      "Error from server (ServiceUnavailable)", "Error from server (Timeout)",
      "context deadline exceeded", "database is locked", "TLS handshake timeout",
    ]
    for phrase in phrases {
      if let line = output.line(containing: phrase) {
        return .apiServerUnavailable(detail: Redaction.excerpt(String(line), limit: 300))
      }
    }
    return nil
  }

  /// The failure for output no command-specific rule matched: a Python crash, or
  /// something unrecognised.
  static func fallback(_ output: CommandOutput, secrets: [String] = []) -> MicroK8sFailure {
    if let exception = pythonException(output) {
      return .crashed(detail: Redaction.excerpt(String(exception), secrets: secrets, limit: 300))
    }
    return .unrecognised(output, secrets: secrets)
  }

  /// The exception line (`OSError: …`) ending an uncaught Python traceback.
  static func pythonException(_ output: CommandOutput) -> Substring? {
    for stream in [output.stderr, output.stdout] {
      let lines = stream.split(whereSeparator: \.isNewline)
      guard let start = lines.lastIndex(where: { $0.hasPrefix("Traceback (most recent call") })
      else { continue }
      // Frames are indented; the exception is the first unindented line after them.
      let exception = lines[(start + 1)...].first { line in
        guard let first = line.first else { return false }
        return !first.isWhitespace
      }
      return exception?.trimmed ?? lines[start].trimmed
    }
    return nil
  }

  /// The text between the first pair of single or double quotes, or inside the first
  /// parentheses, in `line`.
  static func quoted(in line: Substring) -> Substring? {
    for (open, close) in [("'", "'"), ("\"", "\""), ("(", ")")] {
      guard let start = line.firstIndex(of: Character(open)) else { continue }
      let rest = line[line.index(after: start)...]
      guard let end = rest.firstIndex(of: Character(close)) else { continue }
      return rest[..<end]
    }
    return nil
  }

  /// The text inside the quotes or parentheses that follow `marker` in `line`.
  static func enclosed(after marker: String, in line: Substring) -> Substring? {
    guard let range = line.firstRange(of: marker) else { return nil }
    var rest = line[range.upperBound...]
    while let first = rest.first, first == " " { rest = rest.dropFirst() }
    guard let open = rest.first, open == "(" || open == "\"" || open == "'" else { return nil }
    let close: Character = open == "(" ? ")" : open
    let inside = rest.dropFirst()
    guard let end = inside.firstIndex(of: close) else { return nil }
    return inside[..<end]
  }
}
