import Foundation
import Glibc
import Testing

/// `mktopo reconcile` as a long-running daemon: it follows new commits, stops cleanly on
/// SIGTERM (finishing the join in flight), refuses a second daemon on the same state
/// directory, and serves its metrics.
@Suite("reconcile: the daemon")
struct ReconcileDaemonTests {
  typealias Node = ApplyLab.Node

  @Test("follows commits pass after pass, serves metrics, and exits 0 on SIGTERM")
  func followsCommits() async throws {
    let gitops = try await ReconcileLab(["node1", "node2", "node3"])
    let first = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let port = try Self.freePort()
    let daemon = try gitops.start(
      ["--interval", "1s", "--retry-interval", "1s", "--metrics-address", "127.0.0.1:\(port)"]
    )
    #expect(await gitops.waitForStatus(daemon) { $0["lastAppliedRevision"] as? String == first })
    let second = try await gitops.commit(
      [.mixed("node1"), .mixed("node2"), .mixed("node3")],
      "three nodes"
    )
    #expect(await gitops.waitForStatus(daemon) { $0["lastAppliedRevision"] as? String == second })
    #expect(
      try await gitops.membership() == ["node1": "voter", "node2": "voter", "node3": "voter"]
    )

    // An invalid commit: the daemon reports it pass after pass and changes nothing.
    let bad = try await gitops.commit(text: "apiVersion: mktopo/v1\nkind: Topology\n", "oops")
    #expect(
      await gitops.waitForStatus(daemon) {
        $0["lastAttemptedRevision"] as? String == bad
          && ($0["lastPass"] as? [String: Any])?["outcome"] as? String == "invalid"
      }
    )
    #expect(gitops.status()?["lastAppliedRevision"] as? String == second)
    #expect(
      try await gitops.membership() == ["node1": "voter", "node2": "voter", "node3": "voter"]
    )

    let scrape = try Self.get("/metrics", port: port)
    #expect(scrape.hasPrefix("HTTP/1.1 200"), "\(scrape)")
    #expect(scrape.contains("mktopo_reconcile_last_outcome{outcome=\"invalid\"} 1"), "\(scrape)")
    #expect(scrape.contains("mktopo_reconcile_changes_applied_total 2"), "\(scrape)")

    daemon.send(SIGTERM)
    let end = await daemon.wait()
    #expect(end == .exited(0), "\(daemon.output().stderr)")
    let log = daemon.output().stderr
    #expect(log.contains("reconcile stopped"), "\(log)")
    #expect(log.contains("outcome=invalid"), "\(log)")
    gitops.lab.expectNoSecrets()
  }

  @Test("SIGTERM during a join: the join finishes, the next change does not start, exit 0")
  func sigtermDuringJoin() async throws {
    let gitops = try await ReconcileLab(["node1", "node2", "node3"])
    await gitops.lab.sim(["settings", "ready-delay=3s"])
    try await gitops.commit([.mixed("node1"), .mixed("node2"), .mixed("node3")], "three")
    let daemon = try gitops.start(["--interval", "1h"])
    let journal = gitops.state + "/lab.journal.json"
    let deadline = ContinuousClock.now + .seconds(90)
    var inJoin = false
    while ContinuousClock.now < deadline, daemon.poll() == nil, !inJoin {
      let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
      inJoin = text.contains("\"verb\": \"join\"") && text.contains("\"node\": \"node2\"")
      try? await Task.sleep(for: .milliseconds(10))
    }
    try #require(inJoin, "the daemon never reached node2's join: \(daemon.output().stderr)")
    daemon.send(SIGTERM)
    let end = await daemon.wait()
    let log = daemon.output().stderr
    #expect(end == .exited(0), "\(log)")
    #expect(log.contains("outcome=stopped"), "\(log)")
    let world = try await gitops.lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "spare"], "node3 never started")
    #expect(world.readiness()["node2"] == "True", "the join was waited for: \(world.readiness())")
    #expect(!FileManager.default.fileExists(atPath: journal), "nothing is left in flight")
  }

  @Test("a running daemon suspended by --suspend changes nothing, and carries on after --resume")
  func suspendWhileRunning() async throws {
    let gitops = try await ReconcileLab(["node1", "node2"])
    let first = try await gitops.commit([.mixed("node1")], "one node")
    let daemon = try gitops.start(["--interval", "1s", "--retry-interval", "1s"])
    #expect(await gitops.waitForStatus(daemon) { $0["lastAppliedRevision"] as? String == first })
    let suspend = ["reconcile", "--suspend", "--reason", "disk swap", "--state-dir", gitops.state]
    #expect(await gitops.lab.run(suspend).status == 0)
    #expect(await gitops.waitForStatus(daemon) { $0["suspended"] as? Bool == true })
    let second = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    // Several intervals pass; none may apply the new commit.
    try await Task.sleep(for: .seconds(3))
    #expect(try await gitops.membership() == ["node1": "voter"])
    #expect(gitops.status()?["lastAppliedRevision"] as? String == first)
    #expect(
      await gitops.lab.run(["reconcile", "--resume", "--state-dir", gitops.state]).status == 0
    )
    #expect(await gitops.waitForStatus(daemon) { $0["lastAppliedRevision"] as? String == second })
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
    daemon.send(SIGTERM)
    #expect(await daemon.wait() == .exited(0))
    let log = daemon.output().stderr
    #expect(log.contains("suspended: no pass runs until the suspend file is removed"), "\(log)")
    #expect(log.contains("reason=\"disk swap"), "\(log)")
    #expect(log.contains("resumed"), "\(log)")
  }

  @Test("a second daemon on the same state directory refuses and names the first")
  func secondDaemonRefused() async throws {
    let gitops = try await ReconcileLab(["node1"])
    let first = try await gitops.commit([.mixed("node1")], "one node")
    let daemon = try gitops.start(["--interval", "1h"])
    #expect(await gitops.waitForStatus(daemon) { $0["lastAppliedRevision"] as? String == first })
    let second = await gitops.once()
    #expect(second.status == 1)
    #expect(
      second.stderr.contains(
        "another mktopo reconcile daemon uses this state directory: pid \(daemon.pid)"
      ),
      "\(second.stderr)"
    )
    daemon.send(SIGINT)
    #expect(await daemon.wait() == .exited(0), "\(daemon.output().stderr)")
    // With the first gone, the lock is free again.
    #expect(await gitops.once().status == 0)
  }

  /// A port nobody listens on now, on 127.0.0.1.
  static func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
      }
    }
    guard bound else { throw SocketFailed(description: String(cString: strerror(errno))) }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// `GET path` from 127.0.0.1:port, the whole response as text.
  static func get(_ path: String, port: Int) throws -> String {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { throw SocketFailed(description: String(cString: strerror(errno))) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { break }
      response += buffer[0..<count]
    }
    return String(decoding: response, as: UTF8.self)
  }

  struct SocketFailed: Error, CustomStringConvertible {
    var description: String
  }
}
