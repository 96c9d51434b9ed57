import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("ApplyLock")
struct ApplyLockTests {
  @Test("creates the state directory 0700, records this process as holder, keeps the file")
  func acquireAndRelease() async throws {
    try await withScratchDirectory { scratch in
      let state = scratch + "/nested/state"
      let lock = try ApplyLock.acquire(stateDirectory: state, cluster: "homelab")
      #expect(lock.path == state + "/homelab.lock")
      var info = stat()
      #expect(stat(state, &info) == 0)
      #expect(info.st_mode & 0o777 == 0o700)

      let text = try #require(readFile(lock.path))
      #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
      let holder = ApplyLock.holder(parsing: text, cluster: "homelab", lockFile: lock.path)
      #expect(holder.pid == getpid())
      #expect(holder.host == hostName())
      #expect(holder.command == "apply")
      let since = try #require(holder.since)
      #expect(since.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(since)")

      lock.release()
      #expect(readFile(state + "/homelab.lock") == "", "the file stays, emptied")
      let again = try ApplyLock.acquire(stateDirectory: state, cluster: "homelab")
      again.release()
    }
  }

  @Test("a second acquisition in the same process refuses and names this process")
  func secondAcquisitionRefuses() async throws {
    try await withScratchDirectory { scratch in
      let lock = try ApplyLock.acquire(
        stateDirectory: scratch,
        cluster: "homelab",
        command: "reconcile"
      )
      let refusal = try #require(
        refusal { () throws(ApplyLock.Refusal) in
          try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
        }
      )
      guard case .held(let holder) = refusal else {
        Issue.record("expected .held, got \(refusal)")
        return
      }
      #expect(holder.pid == getpid())
      #expect(holder.command == "reconcile")
      #expect(holder.lockFile == lock.path)
      let description = refusal.description
      #expect(description.hasPrefix("another mktopo reconcile holds the lock on cluster homelab"))
      #expect(description.contains("pid \(getpid()) on host \(hostName()), since "))

      // Another cluster's lock is a different file.
      let other = try ApplyLock.acquire(stateDirectory: scratch, cluster: "lab2")
      other.release()
      lock.release()
    }
  }

  @Test("a lock released by going out of scope can be taken again")
  func releasedAtEndOfScope() async throws {
    try await withScratchDirectory { scratch in
      func holdBriefly() throws(ApplyLock.Refusal) {
        let lock = try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
        #expect(
          refusal { () throws(ApplyLock.Refusal) in
            try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
          } != nil
        )
        _ = lock.path
      }
      try holdBriefly()
      let lock = try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
      lock.release()
    }
  }

  @Test("the refusal reads as the operator needs it")
  func refusalMessage() {
    let holder = ApplyLock.Holder(
      cluster: "homelab",
      lockFile: "/path/homelab.lock",
      pid: 4242,
      host: "ops1",
      since: "2026-11-25T08:41:07Z",
      command: "apply"
    )
    #expect(
      ApplyLock.Refusal.held(holder).description
        == "another mktopo apply holds the lock on cluster homelab: pid 4242 on host ops1, "
        + "since 2026-11-25T08:41:07Z (/path/homelab.lock). Wait for it to finish, or if no "
        + "such process is running on that host, remove the file."
    )
  }

  @Test("the holder's start time is RFC 3339 in UTC, to the second")
  func sinceFormat() {
    #expect(UTCTimestamp.format(secondsSinceEpoch: 1_795_596_067) == "2026-11-25T08:41:07Z")
    #expect(UTCTimestamp.format(secondsSinceEpoch: 951_782_400) == "2000-02-29T00:00:00Z")
    #expect(UTCTimestamp.format(secondsSinceEpoch: 0) == "1970-01-01T00:00:00Z")
  }

  @Test("an empty or garbled holder record leaves the holder's fields unknown")
  func garbledHolder() async throws {
    try await withScratchDirectory { scratch in
      let path = scratch + "/homelab.lock"
      for contents in ["", "not json\u{1B}[2J", "{\"pid\": \"many\", \"host\": 7}"] {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        // Blocking: a process another test spawns at this moment holds the last round's
        // file description (and its lock) from fork until it execs.
        try #require(flock(descriptor, LOCK_EX) == 0)
        _ = contents.withCString { write(descriptor, $0, strlen($0)) }

        let refusal = try #require(
          refusal { () throws(ApplyLock.Refusal) in
            try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
          }
        )
        guard case .held(let holder) = refusal else {
          Issue.record("expected .held, got \(refusal)")
          return
        }
        #expect(holder.pid == nil && holder.host == nil && holder.since == nil)
        #expect(holder.command == nil)
        #expect(refusal.description.contains("the holder did not record itself"))
        #expect(!refusal.description.contains("\u{1B}"))
        #expect(readFile(path) == contents, "a refused acquisition writes nothing")
      }
    }
  }

  @Test("another process's lock is refused with its pid; once it is killed, it is taken over")
  func staleLockOfKilledProcess() async throws {
    try await withScratchDirectory { scratch in
      let path = scratch + "/homelab.lock"
      let child = try LockHoldingChild(path: path)
      defer { child.kill() }

      let refusal = try #require(
        refusal { () throws(ApplyLock.Refusal) in
          try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
        }
      )
      guard case .held(let holder) = refusal else {
        Issue.record("expected .held, got \(refusal)")
        return
      }
      #expect(holder.pid == child.pid)
      #expect(refusal.description.contains("pid \(child.pid) on host h, since s (\(path))"))

      child.kill()
      let lock = try ApplyLock.acquire(stateDirectory: scratch, cluster: "homelab")
      let holderNow = ApplyLock.holder(
        parsing: readFile(path) ?? "",
        cluster: "homelab",
        lockFile: path
      )
      #expect(holderNow.pid == getpid())
      lock.release()
    }
  }

  @Test("a cluster name that cannot name a file, or a state directory that cannot exist")
  func unusable() async throws {
    try await withScratchDirectory { scratch in
      for cluster in ["a/b", "..", ""] {
        let refusal = refusal { () throws(ApplyLock.Refusal) in
          try ApplyLock.acquire(stateDirectory: scratch, cluster: cluster)
        }
        guard case .unusable = refusal else {
          Issue.record("expected .unusable for \(cluster), got \(String(describing: refusal))")
          continue
        }
      }
      let file = scratch + "/file"
      let descriptor = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
      try #require(descriptor >= 0)
      close(descriptor)
      let refusal = refusal { () throws(ApplyLock.Refusal) in
        try ApplyLock.acquire(stateDirectory: file + "/state", cluster: "homelab")
      }
      guard case .unusable(let path, let reason) = refusal else {
        Issue.record("expected .unusable, got \(String(describing: refusal))")
        return
      }
      #expect(path == file + "/state/homelab.lock")
      #expect(reason.contains("Not a directory"), "\(reason)")
    }
  }
}

/// The refusal `acquire` throws, or nil (recording an issue) if it took the lock.
private func refusal(
  sourceLocation: SourceLocation = #_sourceLocation,
  _ acquire: () throws(ApplyLock.Refusal) -> ApplyLock
) -> ApplyLock.Refusal? {
  do {
    let lock = try acquire()
    Issue.record("expected a refusal, but the lock was taken", sourceLocation: sourceLocation)
    lock.release()
    return nil
  } catch {
    return error
  }
}

private func hostName() -> String {
  var buffer = [CChar](repeating: 0, count: 256)
  gethostname(&buffer, buffer.count - 1)
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Another process holding the lock: `sh` opens the file on descriptor 9, locks it with
/// util-linux `flock(1)` (the lock stays with the shared open file after `flock` exits),
/// writes a holder record, says "locked" and becomes `sleep`, keeping its pid and the lock.
private final class LockHoldingChild {
  let pid: pid_t
  private var reaped = false

  init(path: String) throws {
    let script = """
      exec 9>>"$1" && flock -x 9 && \
      printf '{"pid": %d, "host": "h", "since": "s", "command": "apply"}\\n' $$ >"$1" && \
      echo locked && exec sleep 60
      """
    var pipeEnds: [Int32] = [0, 0]
    // pipe2 is hidden behind _GNU_SOURCE. Until FD_CLOEXEC is set, a child another test
    // spawns could inherit the write end; the poll's time limit bounds that case.
    try #require(pipe(&pipeEnds) == 0)
    for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    defer { close(pipeEnds[0]) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    let argv = ["/bin/sh", "-c", script, "sh", path]
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for argument in cArguments { free(argument) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
    close(pipeEnds[1])
    try #require(status == 0, "cannot start sh: \(String(cString: strerror(status)))")
    self.pid = pid

    // Wait (at most 10 s) for "locked"; end of file means the script failed.
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64)
    while !output.contains(UInt8(ascii: "\n")) {
      var ready = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
      guard poll(&ready, 1, 10_000) > 0 else { break }
      let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      output += buffer[0..<count]
    }
    let said = String(decoding: output, as: UTF8.self)
    guard said == "locked\n" else {
      kill()
      throw TestFailure(description: "the lock-holding child said \(said.debugDescription)")
    }
  }

  /// SIGKILL, then reap: the lock is free once this returns.
  func kill() {
    guard !reaped else { return }
    reaped = true
    _ = Glibc.kill(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
  }

  deinit { kill() }
}
