import MembershipCore
import Synchronization

/// The daemon's status, kept in memory for the metrics endpoint and written after every
/// pass to `<state>/reconcile.status.json` and to the Prometheus textfile.
///
/// Both files are replaced whole (write beside, then rename), so node_exporter's
/// textfile collector and a monitoring check never read half a file. The counters are
/// read back at start, so `--once` runs started by a timer count on where the last run
/// stopped.
public final class StatusFile: Sendable {
  public let path: String
  /// Where the metrics are written for node_exporter's textfile collector.
  public let metricsPath: String
  private let state: Mutex<ReconcileStatus>

  public static func path(in stateDirectory: String) -> String {
    StateFiles.path(stateDirectory, "reconcile.status.json")
  }

  public static func defaultMetricsPath(in stateDirectory: String) -> String {
    StateFiles.path(stateDirectory, "reconcile.prom")
  }

  /// Reads the status left by an earlier run from the same state directory, or starts
  /// afresh; a different source starts afresh too, since its revisions mean nothing here.
  public init(stateDirectory: String, source: String, metricsPath: String? = nil) {
    path = Self.path(in: stateDirectory)
    self.metricsPath = metricsPath ?? Self.defaultMetricsPath(in: stateDirectory)
    var status = ReconcileStatus(source: source)
    if let bytes = try? SourceFile.read(path, limit: 1 << 20),
      let earlier = ReconcileStatus.decode(String(decoding: bytes, as: UTF8.self))
    {
      if earlier.source == source {
        status = earlier
      } else {
        // The counters are the daemon's, whatever it reads from.
        status.passes = earlier.passes
        status.failures = earlier.failures
        status.changesApplied = earlier.changesApplied
      }
    }
    state = Mutex(status)
  }

  public var status: ReconcileStatus { state.withLock { $0 } }

  /// The metrics in Prometheus's text format, as they stand now.
  public var metricsText: String { PrometheusText.render(status) }

  /// Changes the status, then writes both files; a write that fails is returned, not
  /// thrown, because the daemon goes on without them.
  @discardableResult
  public func update(_ change: (inout ReconcileStatus) -> Void) -> [OutputFile.WriteError] {
    let snapshot = state.withLock { status in
      change(&status)
      return status
    }
    var failures: [OutputFile.WriteError] = []
    do { try OutputFile.write(snapshot.json().rendered(), to: path) } catch {
      failures.append(error)
    }
    do { try OutputFile.write(PrometheusText.render(snapshot), to: metricsPath) } catch {
      failures.append(error)
    }
    return failures
  }
}
