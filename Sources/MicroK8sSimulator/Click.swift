/// The subset of Python's `click` that `join`, `leave` and `remove-node` use, with its
/// usage errors (standard error, exit 2; contract §3.1).
struct Click {
  var prog: String
  /// The one required positional argument, if any (`CONNECTION`, `NODE`).
  var argument: String?
  var flags: [String]
  var helpOptions: [String]
  var help: [String]

  enum Parsed {
    /// The positional argument and the flags given, in order.
    case values(argument: String?, flags: [String])
    case exit(CommandOutcome)
  }

  func parse(_ arguments: [String]) -> Parsed {
    var positional: [String] = []
    var given: [String] = []
    var onlyPositional = false
    for argument in arguments {
      if onlyPositional || !argument.hasPrefix("-") || argument == "-" {
        positional.append(argument)
      } else if argument == "--" {
        onlyPositional = true
      } else if helpOptions.contains(argument) {
        return .exit(CommandOutcome(stdout: help.joined(separator: "\n") + "\n", exitCode: 0))
      } else if flags.contains(argument) {
        given.append(argument)
      } else {
        return error("No such option: \(argument)")
      }
    }
    let expected = argument == nil ? 0 : 1
    if positional.count < expected, let argument {
      return error("Missing argument '\(argument)'.")
    }
    if positional.count > expected {
      let extra = positional[expected...]
      let noun = extra.count == 1 ? "argument" : "arguments"
      return error("Got unexpected extra \(noun) (\(extra.joined(separator: " ")))")
    }
    return .values(argument: positional.first, flags: given)
  }

  private func error(_ message: String) -> Parsed {
    let usage = "Usage: \(prog) [OPTIONS]" + (argument.map { " " + $0 } ?? "")
    let text = "\(usage)\nTry '\(prog) \(helpOptions[0])' for help.\n\nError: \(message)\n"
    return .exit(CommandOutcome(stderr: text, exitCode: 2))
  }
}
