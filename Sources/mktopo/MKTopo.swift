import ArgumentParser

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
    version: "0.1.0",
    subcommands: [
      Validate.self, StatusCommand.self, PlanCommand.self, ApplyCommand.self, ReconcileCommand.self,
      ObserveCommand.self,
      Schema.self,
    ]
  )
}

/// `--output text|json`, shared by the commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}
