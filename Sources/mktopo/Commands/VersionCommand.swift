import ArgumentParser
import MembershipCore
import MembershipRuntime

struct VersionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "version",
    abstract:
      "Print mktopo's version, the commit it was built from, Swift's and libyaml's versions.",
    discussion: "Exit status: 0, 64 usage error."
  )

  @Option(name: .shortAndLong, help: "Output format: text or json.")
  var output: OutputFormat = .text

  func run() throws {
    switch output {
    case .text:
      Terminal.write(
        "mktopo \(BuildInfo.version)\ncommit: \(BuildInfo.commit)\nswift: \(BuildInfo.swift)\n"
          + "libyaml: \(BuildInfo.libyaml)\n",
        to: .standardOutput
      )
    case .json:
      let json = JSONValue.object([
        ("version", .string(BuildInfo.version)), ("commit", .string(BuildInfo.commit)),
        ("swift", .string(BuildInfo.swift)), ("libyaml", .string(BuildInfo.libyaml)),
      ])
      Terminal.write(json.rendered(), to: .standardOutput)
    }
  }
}
