import Glibc

/// A long-running child (sshd) and the processes under it.
///
/// Spawned directly rather than through swift-subprocess, whose `run` scopes a process
/// to one call: sshd must outlive the call that starts it, until the test stops it.
/// This container's init does not reap orphans, so stopping kills from the leaves up:
/// every process dies while its parent still lives to reap it, and none turns into a
/// zombie.
struct ProcessTree: Sendable {
  let pid: pid_t

  /// Starts `argv` with standard input from /dev/null and standard output and error
  /// appended to `logFile`, in a new session, with default signal handling.
  static func spawn(_ argv: [String], logFile: String) throws(SpawnError) -> ProcessTree {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The Swift runtime's threads may block or ignore signals; sshd must start clean.
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    let setSession: Int32 = 0x80  // POSIX_SPAWN_SETSID, hidden behind _GNU_SOURCE.
    posix_spawnattr_setflags(
      &attributes,
      Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setSession)
    )

    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for argument in cArguments { free(argument) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
    guard status == 0 else {
      throw SpawnError(description: "cannot start \(argv[0]): \(String(cString: strerror(status)))")
    }
    return ProcessTree(pid: pid)
  }

  struct SpawnError: Error, CustomStringConvertible {
    var description: String
  }

  /// Whether the child has exited; reaps it if so.
  func hasExited() -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == pid
  }

  /// Kills every descendant, leaves first, then the child itself, and reaps it.
  ///
  /// `marker` (`NAME=value`) finds the processes that left the tree: sshd runs each
  /// command in a session of its own, and when a client goes away (a timed-out ssh) the
  /// session's sshd exits and the command lives on as an orphan, but it keeps the
  /// environment the server gave it.
  func stop(marker: String? = nil) {
    if let marker {
      for _ in 0..<5 {
        let strays = ProcessTable.running(environmentEntryStartingWith: marker)
        if strays.isEmpty { break }
        for stray in strays { kill(stray, SIGKILL) }
        usleep(10_000)
      }
    }
    // Repeat: a connection accepted while we were killing starts a new session.
    for _ in 0..<5 {
      let levels = Self.descendants(of: pid)
      if levels.isEmpty { break }
      for level in levels.reversed() {
        for member in level { kill(member, SIGKILL) }
        for member in level { Self.waitUntilGone(member) }
      }
    }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
  }

  /// The processes under `root`, by depth: children first, then grandchildren.
  static func descendants(of root: pid_t) -> [[pid_t]] {
    var children: [pid_t: [pid_t]] = [:]
    for (pid, parent) in ProcessTable.parents() { children[parent, default: []].append(pid) }
    var levels: [[pid_t]] = []
    var current = children[root] ?? []
    while !current.isEmpty {
      levels.append(current)
      current = current.flatMap { children[$0] ?? [] }
    }
    return levels
  }

  /// Waits up to two seconds for a killed process to be reaped by its parent.
  private static func waitUntilGone(_ pid: pid_t) {
    for _ in 0..<400 {
      if access("/proc/\(pid)", F_OK) != 0 { return }
      usleep(5_000)
    }
  }
}
