import Glibc
import MembershipRuntime

/// What `status` and `plan` say about a journal they find: an apply in progress, or one
/// that stopped mid-change and what the next apply does about it.
enum InterruptedRunNote {
  static func text(_ entry: JournalEntry) -> String {
    let step =
      "\(entry.action) \(entry.node), step \(entry.stepIndex) of \(entry.stepCount) "
      + "(\(entry.verb) on \(entry.host), since \(entry.startedAt))"
    // The pid is this machine's: the journal lives in a local state directory.
    if entry.pid > 0, kill(entry.pid, 0) == 0 || errno == EPERM {
      return "note: an apply (pid \(entry.pid)) is in progress: \(step).\n"
    }
    return "note: an apply stopped during \(step); the next apply observes the cluster and "
      + "carries on from what it shows (a join that was waiting for its node is finished "
      + "first), and says what it found.\n"
  }
}
