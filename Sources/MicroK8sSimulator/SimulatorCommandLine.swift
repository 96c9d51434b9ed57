/// The `microk8s-sim` command line: the simulator's own commands, and MicroK8s commands
/// run on one simulated host.
///
/// Arguments are parsed by hand: after the simulator's options everything is MicroK8s's
/// own grammar, which must reach the simulated host untouched.
public enum SimulatorCommandLine {
  /// `EX_USAGE`, `EX_DATAERR`, `EX_NOINPUT`, `EX_IOERR` from sysexits.h.
  static let usageError: Int32 = 64
  static let dataError: Int32 = 65
  static let noInput: Int32 = 66
  static let ioError: Int32 = 74

  /// The simulator's own commands; anything else is a MicroK8s command.
  static let commands: Set<String> = [
    "init", "host", "fault", "faults", "show", "settings", "pod", "pdb",
  ]

  /// Runs one `microk8s-sim` command line (without the program name).
  public static func run(
    _ arguments: [String],
    environment: [String: String],
    now: Double
  ) -> CommandOutcome {
    var state = environment["MICROK8S_SIM_STATE"]
    var host: String?
    var rest = arguments[...]
    while let first = rest.first {
      if let value = option("--state", in: &rest) {
        state = value
      } else if let value = option("--host", in: &rest) {
        host = value
      } else if first == "--state" || first == "--host" {
        return usage("\(first) needs a value")
      } else {
        break
      }
    }
    if host == nil, let first = rest.first, ["--help", "-h"].contains(first) {
      return CommandOutcome(stdout: SimulatorHelp.text, exitCode: 0)
    }
    if host == nil, rest.first == "faults" {
      return CommandOutcome(stdout: SimulatorHelp.faultTable(), exitCode: 0)
    }
    guard let state, !state.isEmpty else {
      return usage("no state directory: pass --state DIR (or set MICROK8S_SIM_STATE)")
    }
    let store = StateStore(directory: state)
    if host == nil, let first = rest.first, commands.contains(first) {
      return simulatorCommand(first, Array(rest.dropFirst()), store: store, now: now)
    }
    guard let address = host ?? serverAddress(environment["SSH_CONNECTION"]) else {
      return usage("no host: pass --host ADDRESS, or run behind sshd (SSH_CONNECTION)")
    }
    let user = environment["USER"] ?? environment["LOGNAME"] ?? "ubuntu"
    let invocation = Invocation(host: address, arguments: Array(rest), now: now, user: user)
    return withStore(store) { $0.run(invocation) }
  }

  /// `--name VALUE` or `--name=VALUE` at the front of `arguments`, consumed.
  static func option(_ name: String, in arguments: inout ArraySlice<String>) -> String? {
    guard let first = arguments.first else { return nil }
    if first == name, arguments.count >= 2 {
      let value = arguments[arguments.startIndex + 1]
      arguments = arguments.dropFirst(2)
      return value
    }
    if first.hasPrefix(name + "=") {
      arguments = arguments.dropFirst()
      return String(first.dropFirst(name.count + 1))
    }
    return nil
  }

  /// The server address, third field of `SSH_CONNECTION` ("client port server port").
  static func serverAddress(_ connection: String?) -> String? {
    guard let fields = connection?.split(separator: " "), fields.count >= 4 else { return nil }
    return String(fields[2])
  }

  static func usage(_ message: String) -> CommandOutcome {
    .simulatorError(message + "\nRun `microk8s-sim --help` for usage.", exitCode: usageError)
  }

  /// Runs `body` on the stored world under the lock, mapping state failures to exits.
  static func withStore(
    _ store: StateStore,
    _ body: (inout World) -> CommandOutcome
  ) -> CommandOutcome {
    do {
      return try store.update(body)
    } catch {
      switch error {
      case .missing(let message): return .simulatorError(message, exitCode: noInput)
      case .unreadable(let message): return .simulatorError(message, exitCode: dataError)
      case .io(let message): return .simulatorError(message, exitCode: ioError)
      }
    }
  }
}
