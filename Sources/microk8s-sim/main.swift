import Glibc
import MicroK8sSimulator

/// Writes all of `text` to a file descriptor, retrying short writes.
func emit(_ text: String, to descriptor: Int32) {
  var bytes = Array(text.utf8)[...]
  while !bytes.isEmpty {
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    if written < 0 && errno == EINTR { continue }
    guard written > 0 else { return }
    bytes = bytes.dropFirst(written)
  }
}

func wallClock() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_REALTIME, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
}

func environment(_ names: [String]) -> [String: String] {
  var values: [String: String] = [:]
  for name in names {
    if let value = getenv(name) { values[name] = String(cString: value) }
  }
  return values
}

let outcome = SimulatorCommandLine.run(
  Array(CommandLine.arguments.dropFirst()),
  environment: environment(["MICROK8S_SIM_STATE", "SSH_CONNECTION", "USER", "LOGNAME"]),
  now: wallClock()
)
// The state lock is released by now: a waiting command does not hold up the others.
if outcome.pause > 0 {
  var delay = timespec(
    tv_sec: Int(outcome.pause),
    tv_nsec: Int((outcome.pause - outcome.pause.rounded(.down)) * 1_000_000_000)
  )
  var remaining = timespec()
  while nanosleep(&delay, &remaining) != 0 && errno == EINTR { delay = remaining }
}
emit(outcome.stdout, to: STDOUT_FILENO)
emit(outcome.stderr, to: STDERR_FILENO)
exit(outcome.exitCode)
