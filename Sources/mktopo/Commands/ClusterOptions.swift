import ArgumentParser
import MembershipCore
import MembershipRuntime

/// The options of every command that reaches the cluster: the topology and where state
/// is kept.
struct ClusterOptions: ParsableArguments {
  /// Required by every command but `apply` of a saved plan, which holds its topology.
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp("The topology file; '-' reads standard input.", valueName: "file")
  )
  var fileOption: String?

  /// The topology file given as an argument, as `validate` takes it (for `apply`, a saved
  /// plan may stand there instead).
  @Argument(help: ArgumentHelp("The topology file, the same as --file.", valueName: "file"))
  var fileArgument: String?

  /// The topology file, from `--file` or the argument.
  var file: String? { fileOption ?? fileArgument }

  @Option(
    help: ArgumentHelp(
      "Where the cluster's recorded identity, ssh connection sockets and (for apply) the lock and journal are kept.",
      discussion: "Default: $XDG_STATE_HOME/mktopo, else ~/.local/state/mktopo.",
      valueName: "dir"
    )
  )
  var stateDir: String?

  /// The topology, or exit 1 after printing why it is invalid; warnings are printed too.
  func loadTopology() throws -> Topology {
    try loadTopologySource().topology
  }

  /// The topology and the file it was read from, for a plan that saves both.
  func loadTopologySource() throws -> (topology: Topology, source: PlanTopology) {
    let path = try requiredFile()
    var diagnostics: [Diagnostic] = []
    var sources: [String: [UInt8]] = [:]
    let topology = readTopology(into: &diagnostics, sources: &sources)
    InputFile.report(diagnostics, sources: sources)
    guard let topology, let bytes = sources[InputFile(path: path).name] else { throw ExitCode(1) }
    return (topology, PlanTopology(path: path, bytes: bytes))
  }

  /// The topology file, or a usage error; one given both ways must be the same.
  func requiredFile() throws -> String {
    if let fileOption, let fileArgument, fileOption != fileArgument {
      throw ValidationError(
        "two topology files: '\(fileArgument)' and --file '\(fileOption)'; give one"
      )
    }
    guard let file else {
      throw ValidationError("name the topology file: mktopo COMMAND FILE, or --file FILE")
    }
    return file
  }

  /// Reads and loads the topology, adding its diagnostics and source to the caller's,
  /// for a command that reports them with those of other inputs.
  func readTopology(
    into diagnostics: inout [Diagnostic],
    sources: inout [String: [UInt8]]
  ) -> Topology? {
    guard let file else {
      diagnostics.append(.error("no topology file: pass --file FILE"))
      return nil
    }
    let input = InputFile(path: file)
    guard let bytes = input.read(limit: TopologyLoader.maxFileSize, into: &diagnostics) else {
      return nil
    }
    if bytes.count <= TopologyLoader.maxFileSize { sources[input.name] = bytes }
    let load = TopologyLoader.load(bytes, file: input.name)
    diagnostics += load.diagnostics
    return load.topology
  }

  /// The state directory, or a usage error naming what to set.
  func stateDirectory() throws -> String {
    guard let directory = StateDirectory.resolve(stateDir) else {
      throw ValidationError("no state directory: set HOME, XDG_STATE_HOME or --state-dir")
    }
    return directory
  }

  /// Observes the cluster the topology describes, printing each problem met as a
  /// warning; exits 1 when the pass is unobservable (`ClusterObserver.Observation`).
  func observe(_ topology: Topology, adopting: Bool = false) async throws -> ObservedCluster {
    let directory = try stateDirectory()
    let transports = TransportFactory(stateDirectory: directory)
    let engine = MicroK8sEngine(topology: topology, transports: transports)
    do {
      let observed = try await observe(through: engine, state: directory, adopting: adopting)
      await transports.closeConnections(to: topology.nodes)
      if let entry = Journal(stateDirectory: directory, cluster: topology.cluster.name).read() {
        Terminal.write(InterruptedRunNote.text(entry), to: .standardError)
      }
      return observed.cluster
    } catch {
      await transports.closeConnections(to: topology.nodes)
      throw error
    }
  }

  /// One observation through `engine`, whose connections stay open for what follows,
  /// checked against (and recording) the cluster's identity in `state`.
  ///
  /// - Parameters:
  ///   - adopting: take a cluster whose identity is not the recorded one
  ///     (`--allow-foreign-topology`).
  ///   - changes: the command would change the cluster; an unobservable pass says that
  ///     nothing was changed.
  func observe(
    through engine: MicroK8sEngine,
    state: String,
    adopting: Bool = false,
    changes: Bool = false
  ) async throws -> ClusterObserver.Observation {
    var observer = ClusterObserver(engine: engine)
    observer.adoptsAnotherIdentity = adopting
    let record = IdentityRecord(stateDirectory: state, cluster: engine.topology.cluster.name)
    let observation = await observer.observe(recordingIn: record)
    let lines =
      observation.problems.map { "warning: \($0)\n" } + observation.notes.map { "note: \($0)\n" }
    for line in lines where SaidOnce.first(line) {
      Terminal.write(line, to: .standardError)
    }
    if let unreadable = observation.unreadable {
      let unchanged = changes ? " Nothing was changed." : ""
      Terminal.write("error: \(unreadable).\(unchanged)\n", to: .standardError)
      throw ExitCode(1)
    }
    return observation
  }
}
