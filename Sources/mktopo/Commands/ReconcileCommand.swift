import ArgumentParser
import Logging
import MembershipCore
import MembershipRuntime
import ServiceLifecycle

struct ReconcileCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reconcile",
    abstract: "Keep the cluster equal to a topology file or a file in git, pass after pass.",
    discussion: """
      Every --interval (spread by --jitter) reads the source, observes the cluster, plans \
      and carries the plan out one change at a time, as apply does, without asking; after \
      a failed pass the next comes after --retry-interval. An invalid topology, an \
      unreadable source or a failed fetch is reported and the cluster is left as it is. \
      SIGTERM or SIGINT lets the change in flight finish, then exits 0.

      Suspend with --suspend (or by creating reconcile.suspend in the state directory); \
      resume with --resume (or by deleting it). The state directory also holds the git \
      clone, reconcile.status.json (revisions, last pass, counters) and reconcile.prom \
      (Prometheus metrics for node_exporter's textfile collector).

      Exit status with --once: 0 converged (or suspended), 2 drift found by --dry-run, \
      1 anything else. Without --once: 0 after a stop signal, 1 if the daemon cannot \
      start (another daemon holds the state directory), 64 usage error.
      """
  )

  @Option(name: .shortAndLong, help: "The topology file (instead of --git).")
  var file: String?

  @Option(help: ArgumentHelp("The git repository (ssh, https or file URL).", valueName: "url"))
  var git: String?

  @Option(help: "The branch, tag or commit to follow (with --git).")
  var ref = "HEAD"

  @Option(help: "The topology file's path in the repository (with --git).")
  var path: String?

  @Flag(help: "Refuse commits whose signature 'git verify-commit' does not accept.")
  var verifySignatures = false

  @Option(help: ArgumentHelp("Time between passes: 30s, 5m, 1h30m.", valueName: "duration"))
  var interval = "5m"

  @Option(help: ArgumentHelp("Time to the next pass after a failed one.", valueName: "duration"))
  var retryInterval = "30s"

  @Option(help: "The share of each wait added or taken at random (0 to 1).")
  var jitter = 0.1

  @Flag(help: "Do one pass and exit (for timers, cron and CI).")
  var once = false

  @Flag(help: "Only report drift and the plan; change nothing.")
  var dryRun = false

  @Option(help: "Log lines as text or json.")
  var logFormat = LogLineHandler.Format.text

  @Option(
    help:
      "The least severe log level written: trace, debug, info, notice, warning, error or critical."
  )
  var logLevel = Logger.Level.info

  @Option(
    help: ArgumentHelp(
      "Where to write Prometheus metrics (default: <state-dir>/reconcile.prom).",
      valueName: "file"
    )
  )
  var metricsFile: String?

  @Option(
    help: ArgumentHelp(
      "Serve metrics over HTTP at /metrics, e.g. 127.0.0.1:9464.",
      valueName: "host:port"
    )
  )
  var metricsAddress: String?

  @Flag(
    help: "Apply even when the file names none of the cluster's nodes or would remove them all."
  )
  var allowForeignTopology = false

  @Flag(help: "Suspend the daemon (create the suspend file) and exit.")
  var suspend = false

  @Option(help: "Why the daemon is suspended (with --suspend).")
  var reason: String?

  @Flag(help: "Resume the daemon (delete the suspend file) and exit.")
  var resume = false

  @Option(
    help: ArgumentHelp(
      "Where the lock, journal, git clone, status and metrics are kept.",
      discussion: "Default: $XDG_STATE_HOME/mktopo, else ~/.local/state/mktopo.",
      valueName: "dir"
    )
  )
  var stateDir: String?

  func validate() throws {
    if suspend || resume {
      guard !(suspend && resume) else {
        throw ValidationError("--suspend and --resume exclude each other")
      }
      return
    }
    if reason != nil { throw ValidationError("--reason goes with --suspend") }
    switch (file, git) {
    case (nil, nil): throw ValidationError("name a source: -f FILE, or --git URL --path FILE")
    case (.some, .some): throw ValidationError("-f and --git exclude each other: name one source")
    case (.some, nil):
      if path != nil || verifySignatures || ref != "HEAD" {
        throw ValidationError("--ref, --path and --verify-signatures go with --git")
      }
    case (nil, .some):
      if path == nil {
        throw ValidationError("--git needs --path: the topology file in the repository")
      }
    }
    _ = try Self.duration(interval, option: "--interval")
    _ = try Self.duration(retryInterval, option: "--retry-interval")
    guard (0...1).contains(jitter) else {
      throw ValidationError("--jitter must be between 0 and 1, got \(jitter)")
    }
    if file == "-" {
      throw ValidationError(
        "reconcile reads its file anew each pass; standard input cannot be read twice"
      )
    }
  }

  func run() async throws {
    guard let state = StateDirectory.resolve(stateDir) else {
      throw ValidationError("no state directory: set HOME, XDG_STATE_HOME or --state-dir")
    }
    if suspend || resume {
      try toggleSuspension(state)
      return
    }
    let logger = Logger(label: "mktopo.reconcile") { [logFormat, logLevel] _ in
      LogLineHandler(format: logFormat, level: logLevel) {
        Terminal.write($0, to: .standardError)
      }
    }
    let lock: ApplyLock
    do {
      lock = try ApplyLock.acquireDaemon(stateDirectory: state)
    } catch {
      Terminal.write("error: \(error)\n", to: .standardError)
      throw ExitCode(1)
    }
    let outcome = try await runDaemon(state: state, logger: logger)
    lock.release()
    if let outcome { throw ExitCode(Self.exitStatus(outcome)) }
  }

  /// Runs until stopped; with --once, returns the pass's outcome.
  private func runDaemon(state: String, logger: Logger) async throws -> PassOutcome? {
    let source = try topologySource(state: state)
    let status = StatusFile(
      stateDirectory: state,
      source: source.description,
      metricsPath: metricsFile.map { StateDirectory.resolve($0) ?? $0 }
    )
    let configuration = ReconcileDaemon.Configuration(
      source: source,
      stateDirectory: state,
      schedule: PassSchedule(
        interval: try Self.duration(interval, option: "--interval"),
        retryInterval: try Self.duration(retryInterval, option: "--retry-interval"),
        jitter: jitter
      ),
      once: once,
      dryRun: dryRun,
      options: Planner.Options(allowForeignTopology: allowForeignTopology)
    )
    let daemon = ReconcileDaemon(configuration: configuration, status: status, logger: logger)
    var server: MetricsServer?
    if let metricsAddress {
      do {
        server = try MetricsServer.start(address: metricsAddress) { status.metricsText }
        logger.info(
          "serving metrics",
          metadata: ["address": "\(metricsAddress)", "path": "/metrics"]
        )
      } catch {
        Terminal.write("error: \(error)\n", to: .standardError)
        throw ExitCode(1)
      }
    }
    // A daemon that returns (--once) ends the group quietly rather than as a failure.
    let service = ServiceGroupConfiguration.ServiceConfiguration(
      service: daemon,
      successTerminationBehavior: .gracefullyShutdownGroup
    )
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [service],
        gracefulShutdownSignals: [.sigterm, .sigint],
        cancellationSignals: [],
        logger: logger
      )
    )
    try await group.run()
    server?.stop()
    guard once, let result = daemon.lastResult.value else { return once ? .suspended : nil }
    if dryRun, let plan = result.plan, !plan.isEmpty {
      Terminal.write(PlanRenderer.text(plan), to: .standardOutput)
    }
    return result.report.outcome
  }

  private func topologySource(state: String) throws -> TopologySource {
    if let git, let path {
      return .git(
        GitSource(url: git, ref: ref, path: path, stateDirectory: state),
        verifySignatures: verifySignatures
      )
    }
    guard let file, let absolute = StateDirectory.resolve(file) else {
      throw ValidationError("name a source: -f FILE, or --git URL --path FILE")
    }
    return .file(path: absolute)
  }

  private func toggleSuspension(_ state: String) throws {
    do {
      if suspend {
        try SuspendFile.create(in: state, reason: reason)
        Terminal.write(
          "Suspended: \(SuspendFile.path(in: state)) exists, so reconcile passes on this "
            + "state directory change nothing until it is removed ('mktopo reconcile --resume').\n",
          to: .standardOutput
        )
      } else if try SuspendFile.remove(in: state) {
        Terminal.write("Resumed: the next pass runs as scheduled.\n", to: .standardOutput)
      } else {
        Terminal.write(
          "Not suspended: \(SuspendFile.path(in: state)) does not exist.\n",
          to: .standardOutput
        )
      }
    } catch {
      Terminal.write("error: \(error)\n", to: .standardError)
      throw ExitCode(1)
    }
  }

  static func exitStatus(_ outcome: PassOutcome) -> Int32 {
    switch outcome {
    case .converged, .suspended: 0
    case .drift: 2
    default: 1
    }
  }

  static func duration(_ text: String, option: String) throws -> Duration {
    switch TopologyDuration.parse(text) {
    case .success(let duration): return duration
    case .failure(.zero): throw ValidationError("\(option) must be longer than 0")
    case .failure(.tooLong): throw ValidationError("\(option) must be at most 168h")
    case .failure(.malformed):
      throw ValidationError("\(option) must be a duration such as 30s, 5m or 1h30m, got '\(text)'")
    }
  }
}

extension LogLineHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
