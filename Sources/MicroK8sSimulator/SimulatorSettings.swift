/// How slowly the simulated cluster settles after a change.
///
/// The delays the real MicroK8s has by default are the defaults here; tests that need
/// none set them to zero (contract §3.7: Ready comes asynchronously).
public struct SimulatorSettings: Codable, Sendable, Equatable {
  /// Seconds a node reports NotReady after it joins, restarts or comes back up.
  public var readyDelay: Double
  /// Seconds before the dqlite leader adjusts roles after membership or health changes.
  ///
  /// It does so on a 30 s tick (go-dqlite `app/options.go`, `RolesAdjustmentFrequency`;
  /// `app/app.go`, `run`). A joiner promotes itself at once (`maybePromoteOurselves`).
  public var rebalanceDelay: Double
  /// Seconds a Node stays Ready after its kubelet stops reporting (host down or
  /// stopped): the node controller's `node-monitor-grace-period`, 40 s (50 s from
  /// Kubernetes 1.32; kubernetes/kubernetes `pkg/controller/nodelifecycle`).
  public var nodeMonitorGrace: Double

  /// Longer than any demo waits; it keeps the times derived from a delay (and printed as
  /// whole seconds or RFC 3339 times) far from `Int`'s range, whatever was typed.
  public static let longestDelay: Double = 3600

  public init(readyDelay: Double = 0, rebalanceDelay: Double = 30, nodeMonitorGrace: Double = 40) {
    self.readyDelay = readyDelay
    self.rebalanceDelay = rebalanceDelay
    self.nodeMonitorGrace = nodeMonitorGrace
  }

  /// `ready-delay=2s rebalance-delay=1s node-monitor-grace=40s`, as `settings` prints them.
  public var description: String {
    "ready-delay=\(Self.format(readyDelay)) rebalance-delay=\(Self.format(rebalanceDelay)) "
      + "node-monitor-grace=\(Self.format(nodeMonitorGrace))"
  }

  /// Applies one `NAME=DURATION` assignment; returns an error message when it is invalid.
  public mutating func apply(_ assignment: String) -> String? {
    guard let equals = assignment.firstIndex(of: "=") else {
      return "expected NAME=DURATION, got '\(assignment)'"
    }
    let name = assignment[..<equals]
    let valueText = String(assignment[assignment.index(after: equals)...])
    guard let value = Self.parseDuration(valueText) else {
      return "invalid duration '\(valueText)' (examples: 0, 500ms, 2s, 1m)"
    }
    guard value <= Self.longestDelay else {
      return "invalid duration '\(valueText)': a delay may be at most 60m"
    }
    switch name {
    case "ready-delay": readyDelay = value
    case "rebalance-delay": rebalanceDelay = value
    case "node-monitor-grace": nodeMonitorGrace = value
    default:
      return "unknown setting '\(name)' (known: ready-delay, rebalance-delay, node-monitor-grace)"
    }
    return nil
  }

  /// `0`, `1.5`, `500ms`, `2s`, `1m`: a non-negative duration in seconds.
  public static func parseDuration(_ text: String) -> Double? {
    let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
    var number = Substring(text)
    var scale = 1.0
    for unit in units where text.hasSuffix(unit.suffix) {
      number = number.dropLast(unit.suffix.count)
      scale = unit.scale
      break
    }
    guard !number.isEmpty, number.allSatisfy({ $0.isWholeNumber || $0 == "." }),
      let value = Double(number), value >= 0
    else { return nil }
    return value * scale
  }

  static func format(_ seconds: Double) -> String {
    if seconds == seconds.rounded() { return "\(Int(seconds))s" }
    return "\(Int((seconds * 1000).rounded()))ms"
  }
}
