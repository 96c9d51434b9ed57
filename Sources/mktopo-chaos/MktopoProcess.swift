import Glibc
import Synchronization

/// One mktopo process: started with `posix_spawn` so the harness has its pid to kill at a
/// chosen moment, its output written to files (nothing lost when it is killed).
///
/// The child starts with an empty signal mask and default dispositions: a process started
/// from a thread of the async runtime would otherwise inherit that thread's mask.
final class MktopoProcess: Sendable {
  /// How a process ended.
  enum End: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus status: Int32) {
      self = status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }

    var description: String {
      switch self {
      case .exited(let code): "exit \(code)"
      case .signaled(let signal): "signal \(signal)"
      }
    }
  }

  let pid: pid_t
  private let ending = Mutex<End?>(nil)

  private init(pid: pid_t) {
    self.pid = pid
  }

  /// Starts `executable ARGUMENTS` with exactly `environment` (paths must be absolute:
  /// it runs in the harness's directory); standard input is /dev/null, standard output
  /// and error go to the two files.
  static func start(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String],
    stdout: String,
    stderr: String
  ) throws -> MktopoProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let flags = O_WRONLY | O_CREAT | O_TRUNC
    posix_spawn_file_actions_addopen(&actions, 1, stdout, flags, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, flags, 0o600)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigfillset(&signals)
    sigdelset(&signals, SIGKILL)
    sigdelset(&signals, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let entries = environment.map { "\($0.key)=\($0.value)" }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      throw HarnessError("cannot start \(executable): \(String(cString: strerror(status)))")
    }
    return MktopoProcess(pid: pid)
  }

  /// How the process ended, reaping it; nil while it runs.
  func poll() -> End? {
    ending.withLock { end in
      var status: Int32 = 0
      if end == nil, waitpid(pid, &status, WNOHANG) == pid { end = End(waitStatus: status) }
      return end
    }
  }

  /// SIGKILL, unless it has already ended.
  func kill() {
    ending.withLock { end in
      if end == nil { _ = Glibc.kill(pid, SIGKILL) }
    }
  }

  /// Waits for the end; past `timeout` the process is killed and `nil` returned.
  func wait(timeout: Duration) async -> End? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let end = poll() { return end }
      try? await Task.sleep(for: .milliseconds(20))
    }
    kill()
    while poll() == nil { try? await Task.sleep(for: .milliseconds(20)) }
    return nil
  }
}
