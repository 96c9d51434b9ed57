import ArgumentParser
import MembershipCore
import MembershipRuntime

struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the cluster's membership beside the topology.",
    discussion: """
      One row per node of the file and of the cluster: address, observed and wanted \
      role, Ready, version, datastore role, whether it was reached, and what differs \
      from the topology. Exit status: 0 shown, 1 invalid topology or the cluster could \
      not be observed, 64 usage error.
      """
  )

  @OptionGroup var cluster: ClusterOptions

  @Option(name: .shortAndLong, help: "Output format: text or json.")
  var output: OutputFormat = .text

  func validate() throws {
    _ = try cluster.requiredFile()
  }

  func run() async throws {
    let topology = try cluster.loadTopology()
    let observed = try await cluster.observe(topology)
    let status = ClusterStatus(topology: topology, observed: observed)
    switch output {
    case .text: Terminal.write(StatusRenderer.text(status), to: .standardOutput)
    case .json: Terminal.write(StatusRenderer.json(status), to: .standardOutput)
    }
    // Nothing answered at all: nothing is known, which is not a status.
    if observed.contact == nil,
      observed.probes.allSatisfy({ $0.finding == .unreachable }), !observed.probes.isEmpty
    {
      Terminal.write("error: no node of the topology could be reached\n", to: .standardError)
      throw ExitCode(1)
    }
  }
}
