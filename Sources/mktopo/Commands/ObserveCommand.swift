import ArgumentParser
import MembershipCore
import MembershipRuntime

/// The one format `observe` writes.
enum SnapshotFormat: String, ExpressibleByArgument, CaseIterable {
  case json
}

struct ObserveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "observe",
    abstract: "Observe the cluster and write what was seen as a snapshot.",
    discussion: """
      The snapshot (schema/observed.schema.json) is what 'mktopo plan --observed' reads, \
      so a plan can be made later or elsewhere, e.g. in CI for a pull request. Exit \
      status: 0 written, 1 invalid topology, unobservable cluster or unwritable file, \
      64 usage error.
      """
  )

  @OptionGroup var cluster: ClusterOptions

  @Option(
    help: ArgumentHelp(
      "Write the snapshot to this file (atomically) instead of standard output.",
      valueName: "snapshot.json"
    )
  )
  var out: String?

  /// A snapshot is JSON; the option is there so that `--output json` means the same in
  /// every command.
  @Option(name: .shortAndLong, help: "Output format: json (a snapshot is always JSON).")
  var output: SnapshotFormat = .json

  func validate() throws {
    _ = try cluster.requiredFile()
  }

  func run() async throws {
    let topology = try cluster.loadTopology()
    let observed = try await cluster.observe(topology)
    let snapshot = ObservedSnapshot.encode(observed, cluster: topology.cluster.name)
    guard let out else {
      Terminal.write(snapshot, to: .standardOutput)
      return
    }
    do {
      try OutputFile.write(snapshot, to: out)
    } catch {
      InputFile.report([.error(error.description)], sources: [:])
      throw ExitCode(1)
    }
  }
}
