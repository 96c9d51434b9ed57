import Glibc
import Logging
import MembershipCore
import ServiceLifecycle

/// `mktopo reconcile`: passes of `ReconcilePass` every interval, as a swift-service-
/// lifecycle service, until a stop signal (or after one pass with `once`).
///
/// A stop signal never cuts a pass short in the middle of a change: the pass is told
/// to stop between changes (the step in flight, and the rest of its change, finish),
/// and only the wait between passes is cancelled. A suspension is honoured the same way.
public struct ReconcileDaemon: Service {
  public struct Configuration: Sendable {
    public var source: TopologySource
    public var stateDirectory: String
    public var schedule: PassSchedule
    /// One pass, then return (for timers, cron and CI).
    public var once: Bool
    public var dryRun: Bool
    public var options: Planner.Options
    /// How often a suspended daemon looks whether it was resumed.
    public var suspendPoll: Duration = .seconds(5)

    public init(
      source: TopologySource,
      stateDirectory: String,
      schedule: PassSchedule,
      once: Bool,
      dryRun: Bool,
      options: Planner.Options
    ) {
      self.source = source
      self.stateDirectory = stateDirectory
      self.schedule = schedule
      self.once = once
      self.dryRun = dryRun
      self.options = options
    }
  }

  public let configuration: Configuration
  public let status: StatusFile
  public let logger: Logger
  /// The last pass's result, for `--once` to print its plan and pick its exit status.
  public let lastResult = Shared<ReconcilePass.Result?>(nil)

  public init(configuration: Configuration, status: StatusFile, logger: Logger) {
    self.configuration = configuration
    self.status = status
    self.logger = logger
  }

  public func run() async throws {
    let state = configuration.stateDirectory
    var previous: TopologySource.Read?
    var wasSuspended: Bool?
    logger.info(
      "reconcile started",
      metadata: [
        "source": "\(configuration.source.description)", "dry_run": "\(configuration.dryRun)",
        "interval": "\(TransportError.format(configuration.schedule.interval))",
      ]
    )
    while true {
      let suspended = SuspendFile.isPresent(in: state)
      let delay: Duration
      if suspended {
        if wasSuspended != true { noteSuspended() }
        delay = min(configuration.suspendPoll, configuration.schedule.interval)
        if configuration.once { return }
      } else {
        if wasSuspended == true { logger.notice("resumed: the suspend file is gone") }
        let result = await pass(previous: previous)
        previous = result.read
        lastResult.value = result
        delay = configuration.schedule.delay(
          after: result.report.outcome,
          unit: Double.random(in: 0..<1)
        )
        finish(result, next: configuration.once || Task.isShuttingDownGracefully ? nil : delay)
        if configuration.once { return }
      }
      wasSuspended = suspended
      guard !Task.isShuttingDownGracefully else { break }
      do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
      } catch {
        break
      }
    }
    status.update { $0.nextPassAt = nil }
    logger.info("reconcile stopped: a stop signal arrived between passes")
  }

  /// One pass, told to stop between changes when a stop signal arrives or the daemon
  /// is suspended.
  private func pass(previous: TopologySource.Read?) async -> ReconcilePass.Result {
    let stop = StopRequest()
    let state = configuration.stateDirectory
    var pass = ReconcilePass(
      source: configuration.source,
      stateDirectory: state,
      dryRun: configuration.dryRun,
      options: configuration.options,
      logger: logger
    )
    pass.shouldStop = { stop.isRequested || SuspendFile.isPresent(in: state) }
    return await withGracefulShutdownHandler {
      await pass.run(previous: previous)
    } onGracefulShutdown: {
      stop.request()
    }
  }

  private func noteSuspended() {
    let state = configuration.stateDirectory
    let why = SuspendFile.describe(in: state)
    logger.notice(
      "suspended: no pass runs until the suspend file is removed",
      metadata: ["file": "\(SuspendFile.path(in: state))", "reason": "\(why ?? "")"]
    )
    let epoch = Int64(time(nil))
    let report = PassReport(
      startedAt: UTCTimestamp.format(secondsSinceEpoch: time_t(epoch)),
      startedAtEpoch: epoch,
      outcome: .suspended,
      dryRun: configuration.dryRun,
      message: why.map { "suspended: \($0)" } ?? "suspended"
    )
    warn(status.update { $0.record(report, cluster: nil) })
  }

  /// Records the pass in the status file and metrics, and logs its one line.
  private func finish(_ result: ReconcilePass.Result, next: Duration?) {
    let report = result.report
    let nextAt = next.map {
      UTCTimestamp.format(
        secondsSinceEpoch: time(nil) + time_t(PassSchedule.milliseconds($0) / 1000)
      )
    }
    warn(
      status.update {
        $0.record(report, cluster: result.cluster)
        $0.nextPassAt = nextAt
      }
    )
    var metadata: Logger.Metadata = [
      "revision": "\(report.revision ?? "none")",
      "outcome": "\(report.outcome.rawValue)",
      "changes": .stringConvertible(report.applied.count),
      "duration": "\(Double(report.durationMilliseconds) / 1000)s",
      "next": "\(nextAt ?? "none")",
    ]
    if let drift = report.drift { metadata["drift"] = .stringConvertible(drift) }
    if let cluster = result.cluster { metadata["cluster"] = "\(cluster)" }
    if let subject = report.subject { metadata["subject"] = "\(subject)" }
    if let message = report.message { metadata["error"] = "\(message)" }
    if report.dryRun, !report.planned.isEmpty {
      metadata["planned"] = .array(report.planned.map { .string($0) })
    }
    if !report.applied.isEmpty { metadata["applied"] = .array(report.applied.map { .string($0) }) }
    let level: Logger.Level =
      report.outcome.isFailure ? .error : report.outcome == .drift ? .warning : .info
    logger.log(level: level, "pass", metadata: metadata)
  }

  private func warn(_ failures: [OutputFile.WriteError]) {
    for failure in failures {
      logger.warning("cannot write a status file", metadata: ["error": "\(failure)"])
    }
  }
}
