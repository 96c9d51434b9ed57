import ArgumentParser
import MembershipCore
import MembershipRuntime

struct PlanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show the changes that would make the cluster match the topology.",
    discussion: """
      Observes the cluster through the topology's nodes, then plans. With --observed \
      SNAPSHOT.json (as written by 'mktopo observe') it plans offline instead, e.g. in CI \
      for a pull request.
      Exit status: 0 planned (or no changes), 2 changes to make (with --detailed-exitcode), \
      1 invalid input or a blocked change, 64 usage error.
      """
  )

  @OptionGroup var cluster: ClusterOptions

  @Option(
    help: ArgumentHelp(
      "An observed-state snapshot (JSON) to plan against.",
      valueName: "snapshot.json"
    )
  )
  var observed: String?

  @Option(name: .shortAndLong, help: "Output format: text or json.")
  var output: OutputFormat = .text

  @Option(
    help: ArgumentHelp(
      "Also write the plan as JSON to this file, for 'apply PLAN.json'.",
      valueName: "plan.json"
    )
  )
  var out: String?

  @Flag(help: "Exit 2 when there are changes to make, 0 when there are none.")
  var detailedExitcode = false

  @Flag(help: "Plan even when the file names none of the cluster's nodes or would remove them all.")
  var allowForeignTopology = false

  func validate() throws {
    _ = try cluster.requiredFile()
    guard observed != "-" || cluster.file != "-" else {
      throw ValidationError("the topology and the snapshot cannot both be standard input")
    }
  }

  func run() async throws {
    let (topology, source, snapshot) = try await inputs()

    var plan = Planner.plan(
      desired: topology,
      observed: snapshot,
      fingerprint: snapshot.fingerprint,
      options: Planner.Options(allowForeignTopology: allowForeignTopology)
    )
    // Saved with the plan, so that applying it carries out this very file.
    plan.topology = source
    if let out {
      do {
        try OutputFile.write(PlanRenderer.json(plan), to: out)
      } catch {
        InputFile.report([.error(error.description)], sources: [:])
        throw ExitCode(1)
      }
    }
    switch output {
    case .text: Terminal.write(PlanRenderer.text(plan), to: .standardOutput)
    case .json: Terminal.write(PlanRenderer.json(plan), to: .standardOutput)
    }
    if !plan.blocked.isEmpty { throw ExitCode(1) }
    if detailedExitcode, !plan.changes.isEmpty { throw ExitCode(2) }
  }

  /// The topology and the observation: from the snapshot file, or from the cluster.
  private func inputs() async throws -> (Topology, PlanTopology, ObservedCluster) {
    guard let observed else {
      let (topology, source) = try cluster.loadTopologySource()
      let snapshot = try await cluster.observe(topology, adopting: allowForeignTopology)
      return (topology, source, snapshot)
    }
    var diagnostics: [Diagnostic] = []
    var sources: [String: [UInt8]] = [:]
    let topology = cluster.readTopology(into: &diagnostics, sources: &sources)
    let snapshotFile = InputFile(path: observed)
    var snapshot: ObservedCluster?
    if let bytes = snapshotFile.read(limit: ObservedSnapshot.maxFileSize, into: &diagnostics) {
      if bytes.count <= ObservedSnapshot.maxFileSize { sources[snapshotFile.name] = bytes }
      let load = ObservedSnapshot.decode(bytes, file: snapshotFile.name)
      diagnostics += load.diagnostics
      snapshot = load.observed
    }
    InputFile.report(diagnostics, sources: sources)
    guard let topology, let snapshot, let file = cluster.file,
      let bytes = sources[InputFile(path: file).name]
    else { throw ExitCode(1) }
    return (topology, PlanTopology(path: file, bytes: bytes), snapshot)
  }
}
