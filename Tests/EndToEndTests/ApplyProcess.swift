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

/// Process-tree chores for `ApplyProcess`, from /proc.
///
/// A process is named by its pid and start time, so that a reused pid is never taken
/// for it.
enum Reaper {
  /// Waits for a child to end and reaps it; nil when it is not this process's child.
  static func reap(_ pid: pid_t) async -> ApplyProcess.End? {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid { return ApplyProcess.End(waitStatus: status) }
      if result < 0, errno != EINTR { return nil }
      try? await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("pid \(pid) (\(ProcessTable.commandLine(pid) ?? "?")) did not end in 60 s")
    return nil
  }

  /// Waits (hang guard: 60 s) until a process that is not a child has ended.
  static func waitUntilGone(_ process: (pid: pid_t, start: Int)) async {
    let deadline = ContinuousClock.now + .seconds(60)
    while isRunning(process) {
      guard ContinuousClock.now < deadline else {
        Issue.record("pid \(process.pid) (\(ProcessTable.commandLine(process.pid) ?? "?")) ran on")
        return
      }
      try? await Task.sleep(for: .milliseconds(5))
    }
  }

  static func isRunning(_ process: (pid: pid_t, start: Int)) -> Bool {
    startTime(process.pid) == process.start && ProcessTable.isRunning(process.pid)
  }

  /// Stops `pid` (and with `descendants` every process under it, level by level) and
  /// waits until each is stopped; returns the descendants.
  static func freeze(_ pid: pid_t, descendants: Bool) async -> [pid_t] {
    var frozen: [pid_t] = []
    var level = [pid]
    while !level.isEmpty {
      for member in level { kill(member, SIGSTOP) }
      for member in level {
        var tries = 0
        while tries < 2000, !["T", "t", "Z", nil].contains(field(member, 0)) {
          tries += 1
          try? await Task.sleep(for: .milliseconds(1))
        }
      }
      guard descendants else { break }
      level = level.flatMap(children(of:))
      frozen += level
    }
    return frozen
  }

  static func children(of pid: pid_t) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap(pid_t.init).filter { field($0, 1) == String(pid) }
  }

  static func identified(_ pids: [pid_t]) -> [(pid: pid_t, start: Int)] {
    pids.compactMap { pid in startTime(pid).map { (pid, $0) } }
  }

  static func startTime(_ pid: pid_t) -> Int? { field(pid, 19).flatMap { Int($0) } }

  /// A field of /proc/PID/stat after the command name: 0 state, 1 parent, 19 start time.
  private static func field(_ pid: pid_t, _ index: Int) -> String? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    guard let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return index < fields.count ? String(fields[index]) : nil
  }
}

/// The checks every robustness test ends with.
extension RobustLab {
  /// node1's cluster holds node1 and `joined`, each once and Ready, its datastore the
  /// mixed ones and nothing else (no ghost), with quorum; every other host stands alone.
  func expectMembership(joined: [String], voters: Int?) async throws {
    let show = Data(try await simulate(["show"]).utf8)
    let world = try JSONDecoder().decode(RobustWorld.self, from: show)
    let id = world.hosts.first { $0.hostname == "node1" }?.cluster
    let cluster = try #require(world.clusters.first { $0.id == id })
    #expect(cluster.nodes.map(\.name).sorted() == (["node1"] + joined).sorted(), "\(cluster)")
    #expect(cluster.nodes.allSatisfy { $0.ready == "True" }, "\(cluster)")
    let mixed = ["node1"] + joined.filter { !$0.hasPrefix("worker") }
    let addresses = world.hosts.filter { mixed.contains($0.hostname) }.map(\.address)
    #expect(cluster.members.map(\.host).sorted() == addresses.sorted(), "\(cluster)")
    #expect(cluster.quorum, "\(cluster)")
    if let voters { #expect(cluster.members.filter { $0.role == "voter" }.count == voters) }
    let alone = world.hosts.filter { !mixed.contains($0.hostname) && !joined.contains($0.hostname) }
    #expect(alone.allSatisfy { $0.cluster != id }, "\(world.hosts)")
  }

  /// No run of 32 or more hex digits, and no token the simulated hosts were given (read
  /// from the world file itself), in any output or any file of the state directory.
  func expectNoSecrets(_ outputs: (stdout: String, stderr: String)...) {
    let file = try? JSONSerialization.jsonObject(with: Data(text(world + "/world.json").utf8))
    let hosts = (file as? [String: Any])?["hosts"] as? [[String: Any]] ?? []
    let tokens = hosts.flatMap { $0["tokens"] as? [[String: Any]] ?? [] }.compactMap {
      $0["token"] as? String
    }
    #expect(!tokens.isEmpty, "the world holds no token: the scan would prove nothing")
    var documents = outputs.flatMap { [$0.stdout, $0.stderr] }.map { ("output", $0) }
    for file in FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? [] {
      let type = try? FileManager.default.attributesOfItem(atPath: state + "/" + file)[.type]
      if type as? FileAttributeType == .typeRegular {
        documents.append((file, text(state + "/" + file)))
      }
    }
    for (name, text) in documents {
      let hex = text.firstMatch(of: #/[0-9a-fA-F]{32,}/#).map { $0.output.prefix(6) }
      #expect(hex == nil, "\(name) holds a run of 32+ hex digits (\(hex ?? "")…)")
      #expect(!tokens.contains { text.contains($0) }, "\(name) holds a join token")
    }
  }
}

/// What `microk8s-sim show` says, as far as the checks need it.
struct RobustWorld: Decodable {
  struct Host: Decodable {
    var address: String
    var hostname: String
    var cluster: Int
  }
  struct Member: Decodable {
    var host: String
    var role: String
  }
  struct Node: Decodable {
    var name: String
    var ready: String
  }
  struct Cluster: Decodable {
    var id: Int
    var members: [Member]
    var nodes: [Node]
    var quorum: Bool
  }
  var hosts: [Host]
  var clusters: [Cluster]
}
