import Glibc
import Logging
import MembershipCore

/// One pass of the reconcile daemon: read the source, load, observe, plan and (unless a
/// dry run) apply one change at a time until converged, blocked or stopped.
///
/// A pass never changes the cluster unless the topology it read is valid: a broken,
/// empty or unreadable file, a fetch that fails or a rejected signature each end the
/// pass before anything is observed, and the cluster stays as it is.
public struct ReconcilePass: Sendable {
  public var source: TopologySource
  public var stateDirectory: String
  public var dryRun: Bool
  public var options: Planner.Options
  public var logger: Logger
  /// Asked between changes: true ends the pass early (a stop signal, a suspension).
  public var shouldStop: @Sendable () -> Bool = { false }

  public init(
    source: TopologySource,
    stateDirectory: String,
    dryRun: Bool,
    options: Planner.Options,
    logger: Logger
  ) {
    self.source = source
    self.stateDirectory = stateDirectory
    self.dryRun = dryRun
    self.options = options
    self.logger = logger
  }

  /// What a pass leaves for the next one.
  public struct Result: Sendable {
    public var report: PassReport
    /// The source as read, to skip reading an unchanged revision again.
    public var read: TopologySource.Read?
    /// The cluster the topology names, when it was valid.
    public var cluster: String?
    /// The plan of the pass (the first one), for a dry run to show.
    public var plan: Plan?
    /// The MicroK8s commands the pass ran (a converged pass costs 2).
    public var engineCommands = 0
  }

  public func run(previous: TopologySource.Read?) async -> Result {
    let clock = ContinuousClock()
    let start = clock.now
    let epoch = Int64(time(nil))
    var report = PassReport(
      startedAt: UTCTimestamp.format(secondsSinceEpoch: time_t(epoch)),
      startedAtEpoch: epoch,
      outcome: .failed,
      dryRun: dryRun
    )
    var result = await run(previous: previous, into: &report)
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    report.durationMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    result.report = report
    return result
  }

  private func run(previous: TopologySource.Read?, into report: inout PassReport) async -> Result {
    let read: TopologySource.Read
    do {
      read = try await source.read(previous: previous)
    } catch {
      report.outcome = .sourceFailed
      report.revision = error.revision
      report.message = error.description
      return Result(report: report, read: previous)
    }
    report.revision = read.revision
    report.subject = read.subject
    let load = TopologyLoader.load(read.bytes, file: read.name)
    for warning in load.diagnostics where warning.severity == .warning {
      logger.warning("topology warning", metadata: ["detail": "\(warning.message)"])
    }
    guard let topology = load.topology else {
      report.outcome = .invalid
      let renderer = DiagnosticRenderer(colored: false)
      report.message =
        "the topology at revision \(read.revision) is invalid; the cluster is left as it "
        + "is until a valid revision arrives:\n"
        + renderer.render(load.diagnostics, sources: [read.name: read.bytes])
      return Result(report: report, read: read)
    }
    let cluster = topology.cluster.name
    guard !dryRun else {
      let (plan, commands) = await converge(topology, report: &report, apply: false)
      return Result(
        report: report,
        read: read,
        cluster: cluster,
        plan: plan,
        engineCommands: commands
      )
    }
    let lock: ApplyLock
    do {
      lock = try ApplyLock.acquire(
        stateDirectory: stateDirectory,
        cluster: cluster,
        command: "reconcile"
      )
    } catch {
      report.outcome = .locked
      report.message = error.description
      return Result(report: report, read: read, cluster: cluster)
    }
    let (plan, commands) = await converge(topology, report: &report, apply: true)
    lock.release()
    return Result(
      report: report,
      read: read,
      cluster: cluster,
      plan: plan,
      engineCommands: commands
    )
  }

  /// Observes and plans; when `apply`, carries the plan out.
  ///
  /// Connections are shared by the whole pass and closed at its end.
  private func converge(
    _ topology: Topology,
    report: inout PassReport,
    apply: Bool
  ) async -> (Plan?, commands: Int) {
    let transports = TransportFactory(stateDirectory: stateDirectory)
    let engine = MicroK8sEngine(topology: topology, transports: transports)
    let run = PassExecution(
      engine: engine,
      journal: Journal(stateDirectory: stateDirectory, cluster: topology.cluster.name),
      options: options,
      logger: logger,
      shouldStop: shouldStop
    )
    let plan = await run.converge(report: &report, apply: apply)
    await transports.closeConnections(to: topology.nodes)
    return (plan, engine.commandsRun)
  }
}
