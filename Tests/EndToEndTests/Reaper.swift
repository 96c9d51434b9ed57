import Foundation
import Glibc
import SSHTestSupport
import Synchronization
import Testing

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
