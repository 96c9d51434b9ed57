import ArgumentParser
import Glibc
import MembershipCore
import MembershipRuntime

/// The `mktopo` command line: parse options, call one function, print, map the result
/// to an exit status.
@main
struct MKTopo: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mktopo",
    abstract: "Keep a MicroK8s cluster's membership equal to a topology file.",
    discussion: """
      Exit status: 0 success, 1 invalid input, failure or a blocked change, 2 changes to \
      make ('plan --detailed-exitcode'), 64 command-line usage error.
      """,
    version: BuildInfo.versionLine,
    subcommands: [
      Validate.self, StatusCommand.self, PlanCommand.self, ApplyCommand.self, ReconcileCommand.self,
      ObserveCommand.self,
      Schema.self, VersionCommand.self,
    ]
  )

  /// A first word that names no command is said to be one, with the nearest command,
  /// before ArgumentParser would complain about the options that follow it instead
  /// (`mktopo aply -f x`: "Unknown option '-f'").
  ///
  /// What `AsyncParsableCommand.main` does, except that a synchronous command (validate,
  /// schema, version) runs here, on the main thread: awaiting ArgumentParser's async
  /// `main` would first start a thread of the concurrency pool to run it on, a tenth of
  /// what a small `mktopo validate` costs.
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let message = unknownCommand(arguments) {
      Terminal.write(message, to: .standardError)
      Glibc.exit(64)
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asynchronous = command as? AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }

  static func unknownCommand(_ arguments: [String]) -> String? {
    guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
    let names = configuration.subcommands.map { $0._commandName } + ["help"]
    guard !names.contains(first) else { return nil }
    let hint = Spelling.suggestion(for: first, among: names).map { "; did you mean '\($0)'?" }
    return "Error: unknown command '\(first)'\(hint ?? "")\n"
      + "Usage: mktopo <subcommand>\n  See 'mktopo --help' for the commands.\n"
  }
}

/// `--output text|json`, shared by the commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}
