import Foundation
import Glibc
import SSHTestSupport
import Synchronization
import Testing

/// A program that a robustness test starts and then signals, freezes or kills mid-run.
///
/// Started with `posix_spawn`, not Foundation.Process: a Process started from async code
/// inherits the signal mask of a Dispatch thread (research/swift-feasibility.md section
/// 4), and mktopo would never see the SIGINT or SIGTERM a test sends. Here the child
/// starts with an empty mask and default dispositions. Output goes to files, standard
/// input is /dev/null, and PATH starts with the tests' network guard, as for
/// `CommandRunner`. Every process carries `MKTOPO_ROBUST_RUN=<id>` in its environment,
/// and so do the commands it starts, so that those it leaves behind can be found.
final class ApplyProcess: Sendable {
  /// How a process ended.
  enum End: Equatable {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus status: Int32) {
      self = status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }
  }

  typealias Output = (end: End, stdout: String, stderr: String)

  struct SpawnError: Error, CustomStringConvertible {
    var description: String
  }

  let pid: pid_t
  private let marker: String
  private let outputPrefix: String
  private let ending = Mutex<End?>(nil)
  /// The processes seen carrying the marker, as [pid, start time], for `sweep`.
  private let seen = Mutex<Set<[Int]>>([])

  private init(pid: pid_t, marker: String, outputPrefix: String) {
    self.pid = pid
    self.marker = marker
    self.outputPrefix = outputPrefix
  }

  /// Starts `executable`; its output goes to `outputPrefix` + `.stdout` and `.stderr`.
  static func start(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String] = [:],
    outputPrefix: String
  ) throws -> ApplyProcess {
    let marker = "MKTOPO_ROBUST_RUN=" + UUID().uuidString
    var variables = ProcessInfo.processInfo.environment
    for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
      variables.removeValue(forKey: name)
    }
    variables.merge(environment) { _, new in new }
    variables["PATH"] = NetworkGuard.directory + ":" + (variables["PATH"] ?? "/usr/bin:/bin")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    for (descriptor, suffix) in [(Int32(1), ".stdout"), (2, ".stderr")] {
      let flags = O_WRONLY | O_CREAT | O_TRUNC
      posix_spawn_file_actions_addopen(&actions, descriptor, outputPrefix + suffix, flags, 0o600)
    }
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
    let entries = variables.map { "\($0.key)=\($0.value)" } + [marker]
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      throw SpawnError(description: "cannot start \(executable): error \(status)")
    }
    return ApplyProcess(pid: pid, marker: marker, outputPrefix: outputPrefix)
  }

  /// Waits for the end (see `wait`) and reads the output.
  func finish() async -> Output {
    let end = await wait()
    let output = output()
    return (end, output.stdout, output.stderr)
  }

  /// How the process ended, reaping it; nil while it runs.
  func poll() -> End? {
    ending.withLock { end in
      var status: Int32 = 0
      if end == nil, waitpid(pid, &status, WNOHANG) == pid { end = End(waitStatus: status) }
      return end
    }
  }

  func send(_ signal: Int32) {
    if poll() == nil { kill(pid, signal) }
  }

  /// Waits for the end, reaping the process.
  ///
  /// Past `timeout` (a hang guard) it kills the process and records an issue. With
  /// `tracking`, it notes the processes that carry the marker as it goes.
  func wait(timeout: Duration = .seconds(120), tracking: Bool = false) async -> End {
    let deadline = ContinuousClock.now + timeout
    var polls = 0
    while ContinuousClock.now < deadline {
      if let end = poll() { return end }
      if tracking, polls % 5 == 0 { track() }
      polls += 1
      try? await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("pid \(pid) (\(outputPrefix)) did not finish within \(timeout); killed it")
    kill(pid, SIGKILL)
    return await Reaper.reap(pid) ?? .signaled(SIGKILL)
  }

  func output() -> (stdout: String, stderr: String) {
    let read = { (suffix: String) in
      (try? String(contentsOfFile: self.outputPrefix + suffix, encoding: .utf8)) ?? ""
    }
    return (read(".stdout"), read(".stderr"))
  }

  /// Kills the process as a crash would, at one instant.
  ///
  /// It is frozen first (SIGSTOP), so that it starts nothing more. With `commands`, the
  /// commands it runs die with it (the machine went down); else they run on as orphans
  /// and finish, as a remote command does when its ssh client dies. Returns once every
  /// one of them has ended.
  func crash(commands: Bool) async -> End {
    let tree = await Reaper.freeze(pid, descendants: commands)
    let orphans = Reaper.identified(commands ? tree : Reaper.children(of: pid))
    kill(pid, SIGKILL)
    for orphan in orphans where commands { kill(orphan.pid, SIGKILL) }
    let end = await Reaper.reap(pid) ?? .signaled(SIGKILL)
    ending.withLock { $0 = end }
    for orphan in orphans { await Reaper.waitUntilGone(orphan) }
    return end
  }

  /// Sends `signal` while the process is frozen; returns the commands it was running
  /// then, for the caller to wait for should the signal kill it.
  func signalFrozen(_ signal: Int32) async -> [(pid: pid_t, start: Int)] {
    _ = await Reaper.freeze(pid, descendants: false)
    let children = Reaper.identified(Reaper.children(of: pid))
    kill(pid, signal)
    kill(pid, SIGCONT)
    return children
  }

  private func track() {
    let found = Reaper.identified(ProcessTable.running(environmentEntryStartingWith: marker))
    seen.withLock { $0.formUnion(found.map { [Int($0.pid), $0.start] }) }
  }

  /// After the end: the command lines of the processes it started that still run, which
  /// this then kills (this container's init reaps them).
  func sweep() async -> [String] {
    track()
    var leftovers: [String] = []
    for entry in seen.withLock({ $0 }) where entry[0] != Int(pid) {
      let process = (pid: pid_t(entry[0]), start: entry[1])
      guard Reaper.isRunning(process) else { continue }
      leftovers.append(ProcessTable.commandLine(process.pid) ?? "pid \(process.pid)")
      kill(process.pid, SIGKILL)
      await Reaper.waitUntilGone(process)
    }
    return leftovers
  }
}
