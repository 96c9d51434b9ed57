import ArgumentParser
import MembershipRuntime

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema of the topology file (for editors and CI).",
    discussion: """
      Save it beside your topology and point your editor at it with a first line like
        # yaml-language-server: $schema=topology.schema.json
      """
  )

  func run() {
    Terminal.write(TopologySchema.json + "\n", to: .standardOutput)
  }
}
