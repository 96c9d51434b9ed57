import Synchronization

/// What the harness did to the world during a run, and when: shared between the task
/// that does it and the sampler that must not blame mktopo for it.
final class HarnessEvents: Sendable {
  struct Event: Sendable {
    /// Seconds after the run started.
    var offset: Double
    var action: SimulatorAction
  }

  private let events = Mutex<[Event]>([])

  func record(_ action: SimulatorAction, offset: Double) {
    events.withLock { $0.append(Event(offset: offset, action: action)) }
  }

  var all: [Event] { events.withLock { $0 } }

  /// Whether a host was taken down or stopped since the run started.
  var tookHostsDown: Bool {
    events.withLock { $0.contains { $0.action.takesDown != nil } }
  }

  /// The hosts whose liveness the harness changed during the run.
  var touchedHosts: Set<String> {
    Set(events.withLock { $0.compactMap(\.action.touchedHost) })
  }
}
