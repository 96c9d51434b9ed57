import Synchronization

/// The warnings and notes this process has printed, so that each is said once: apply
/// observes the cluster again after every change, and a host that stays down would
/// otherwise be reported by every pass.
enum SaidOnce {
  private static let said = Mutex<Set<String>>([])

  /// True the first time `line` is asked about, false after.
  static func first(_ line: String) -> Bool {
    said.withLock { $0.insert(line).inserted }
  }
}
