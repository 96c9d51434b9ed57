import ArgumentParser
import Glibc
import MembershipCore
import MembershipRuntime

/// The question a live apply asks before it changes anything.
enum Confirmation {
  /// Asks on a terminal; refuses without one (apply's --auto-approve skips the question).
  static func ask(_ plan: Plan) throws {
    guard Terminal.inputIsInteractive else {
      Terminal.write(
        "error: standard input is not a terminal, so there is no one to confirm the plan; "
          + "pass --auto-approve to apply without asking.\n",
        to: .standardError
      )
      throw ExitCode(1)
    }
    let changes = plan.changes.count == 1 ? "this change" : "these \(plan.changes.count) changes"
    Terminal.write(
      "\nApply \(changes) to cluster \(plan.cluster)? Only 'yes' will be accepted: ",
      to: .standardOutput
    )
    let answer = readAnswer()
    if let cause = StopSignal.cause {
      Terminal.write("\nApply cancelled by \(cause); nothing was changed.\n", to: .standardError)
      throw ExitCode(1)
    }
    guard answer == "yes" else {
      Terminal.write("Apply cancelled; nothing was changed.\n", to: .standardError)
      throw ExitCode(1)
    }
  }

  /// A line typed in answer, or nil at the end of input or when a stop signal comes
  /// first: a Ctrl-C at the prompt cancels at once, not after Enter.
  private static func readAnswer() -> String? {
    var bytes: [UInt8] = []
    while !StopSignal.requested {
      var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 100)
      if ready < 0 {
        if errno == EINTR { continue }
        return nil
      }
      guard ready > 0 else { continue }
      var byte: UInt8 = 0
      let count = read(0, &byte, 1)
      if count < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if count == 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
    return nil
  }
}
