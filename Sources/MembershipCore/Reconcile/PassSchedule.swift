/// When the next reconcile pass runs: `interval` after one that succeeded,
/// `retryInterval` after one that did not, each spread by a random jitter so that
/// daemons started together (one per cluster, restarted by the same deploy) do not all
/// fetch from the git server at the same moment.
public struct PassSchedule: Sendable, Equatable {
  public var interval: Duration
  public var retryInterval: Duration
  /// The largest share of the delay added or taken away at random: 0.1 is ±10%.
  public var jitter: Double

  public init(interval: Duration, retryInterval: Duration, jitter: Double) {
    self.interval = interval
    self.retryInterval = retryInterval
    self.jitter = min(max(jitter, 0), 1)
  }

  /// The delay after a pass that ended with `outcome`.
  ///
  /// - Parameter unit: a random number in [0, 1), supplied by the caller so that the
  ///   core stays free of randomness; 0.5 gives the delay without jitter.
  public func delay(after outcome: PassOutcome, unit: Double) -> Duration {
    let base = outcome.isFailure ? retryInterval : interval
    let factor = 1 + jitter * (2 * min(max(unit, 0), 1) - 1)
    let milliseconds = Double(Self.milliseconds(base)) * factor
    return .milliseconds(Int64(max(milliseconds, 1).rounded()))
  }

  public static func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }
}
