/// The subset of Python's `argparse` that `add-node` and `status` use, with its messages:
/// usage errors go to standard error with exit 2, `-h` prints the help with exit 0.
struct Argparse {
  struct Option {
    /// In declaration order, as argparse lists them in errors (`--token-ttl/-l`).
    var names: [String]
    var takesValue = true
    var choices: [String]? = nil
    var integer = false
  }

  var prog: String
  /// The `usage:` block, already wrapped as argparse wraps it.
  var usage: [String]
  /// The whole `--help` text.
  var help: [String]
  var options: [Option]

  /// Parsed values by the option's long name; flags map to `"true"`.
  enum Parsed {
    case values([String: String])
    case exit(CommandOutcome)
  }

  func parse(_ arguments: [String]) -> Parsed {
    var values: [String: String] = [:]
    var unrecognized: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "-h" || argument == "--help" {
        return .exit(CommandOutcome(stdout: help.joined(separator: "\n") + "\n", exitCode: 0))
      }
      guard let (option, inline) = match(argument) else {
        unrecognized.append(argument)
        continue
      }
      let display = option.names.joined(separator: "/")
      let key = option.names.first { $0.hasPrefix("--") } ?? option.names[0]
      guard option.takesValue else {
        values[key] = "true"
        continue
      }
      var value = inline
      if value == nil, index < arguments.count, isValue(arguments[index]) {
        value = arguments[index]
        index += 1
      }
      guard let value else { return error("argument \(display): expected one argument") }
      if let choices = option.choices, !choices.contains(value) {
        let list = choices.map { "'\($0)'" }.joined(separator: ", ")
        return error("argument \(display): invalid choice: '\(value)' (choose from \(list))")
      }
      if option.integer, PythonInteger.parse(value) == nil {
        return error("argument \(display): invalid int value: '\(value)'")
      }
      values[key] = value
    }
    if !unrecognized.isEmpty {
      return error("unrecognized arguments: " + unrecognized.joined(separator: " "))
    }
    return .values(values)
  }

  /// The option an argument names, with a value given in the same argument
  /// (`--format=json`, `-l600`).
  private func match(_ argument: String) -> (Option, String?)? {
    for option in options {
      for name in option.names {
        if argument == name { return (option, nil) }
        if name.hasPrefix("--"), argument.hasPrefix(name + "=") {
          return (option, String(argument.dropFirst(name.count + 1)))
        }
        if !name.hasPrefix("--"), option.takesValue, argument.hasPrefix(name),
          argument.count > name.count
        {
          return (option, String(argument.dropFirst(name.count)))
        }
      }
    }
    return nil
  }

  /// Whether the next argument can be an option's value: not an option, but negative
  /// numbers are values (`--token-ttl -1`).
  private func isValue(_ argument: String) -> Bool {
    !argument.hasPrefix("-") || Double(argument) != nil
  }

  private func error(_ message: String) -> Parsed {
    let text = usage.joined(separator: "\n") + "\n\(prog): error: \(message)\n"
    return .exit(CommandOutcome(stderr: text, exitCode: 2))
  }
}
