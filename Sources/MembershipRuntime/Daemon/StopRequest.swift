import Synchronization

/// A stop asked for by a graceful-shutdown handler, read by the pass between changes.
final class StopRequest: Sendable {
  private let flag = Atomic<Bool>(false)
  func request() { flag.store(true, ordering: .releasing) }
  var isRequested: Bool { flag.load(ordering: .acquiring) }
}
