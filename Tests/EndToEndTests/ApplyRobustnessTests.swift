import Foundation
import Glibc
import SSHTestSupport
import Testing

/// `mktopo apply` killed, interrupted, raced and run over real OpenSSH (DESIGN.md
/// section 5): whatever happens to one run, the next converges, joins no node twice and
/// never shows a token.
@Suite("apply: crashes, signals, concurrency, real ssh")
struct ApplyRobustnessTests {
  /// How the first run dies: alone (its command in flight finishes as an orphan), with
  /// its commands (the machine went down), or with them while it waits for a finished
  /// join (an orphaned `kubectl wait` would hold the test until the node is Ready).
  enum Crash: String, Sendable {
    case alone
    case withCommands
    case inWait
  }

  /// A moment of the plan: step 1…6 over the three joins (add-node, then join).
  struct KillPoint: Sendable, CustomTestStringConvertible {
    var step: Int
    var crash: Crash
    var node: String { RobustLab.joins[(step - 1) / 2] }
    var stepIndex: Int { (step - 1) % 2 + 1 }
    var testDescription: String {
      "step \(step) (\(node) \(stepIndex == 1 ? "add-node" : "join")), \(crash.rawValue)"
    }
  }

  static let killPoints: [KillPoint] = (1...6).flatMap { step in
    [Crash.alone, .withCommands].map { KillPoint(step: step, crash: $0) }
      + (step % 2 == 0 ? [KillPoint(step: step, crash: .inWait)] : [])
  }

  @Test(
    "SIGKILL at a step, then apply again: converged, nothing joined twice",
    arguments: killPoints
  )
  func killAndRerun(_ point: KillPoint) async throws {
    // After a crash in the last join's wait, the next run has only that wait left: a
    // longer delay makes sure it would see the node still NotReady.
    let last = point.step == 6 && point.crash == .inWait
    let lab = try await RobustLab.local(readyDelay: last ? "5s" : "2s")
    let first = try lab.start()
    let reached = await lab.waitUntil(first) {
      guard point.crash == .inWait else { return lab.position() >= point.step }
      return lab.joined(point.node)
    }
    let end = await first.crash(commands: point.crash != .alone)
    try #require(reached, "the first run never reached \(point.testDescription)")
    #expect(end == .signaled(SIGKILL))
    let journal = lab.journal()
    #expect(
      journal?.node == point.node && journal?.step == point.stepIndex,
      "\(String(describing: journal))"
    )
    // The killed run's lock file still names it: a stale lock must not block the next run.
    #expect(lab.lockFile().contains("\"pid\": \(first.pid),"), "\(lab.lockFile())")
    // status and plan say what was interrupted, and what the next apply does about it.
    if point.step == 1 && point.crash == .alone {
      let stopped = "note: an apply stopped during join \(point.node), step \(point.stepIndex) of 2"
      for command in ["status", "plan"] {
        let shown = try await lab.mktopo([command, "-f", lab.topology])
        #expect(shown.stderr.contains(stopped), "\(command): \(shown.stderr)")
        #expect(shown.stderr.contains("the next apply observes the cluster and carries on"))
      }
    }

    let second = try await lab.apply()
    #expect(second.end == .exited(0), "\(second.stderr)")
    let note =
      "note: a previous run stopped during join \(point.node), step \(point.stepIndex) of 2"
    #expect(second.stderr.contains(note), "\(second.stderr)")
    #expect(
      second.stdout.hasSuffix("Cluster membership matches the topology.\n"),
      "\(second.stdout)"
    )
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
    // Nothing joined twice: one join command per node (an orphaned one may have died of
    // SIGPIPE after its work, writing to the pipe of the killed run).
    let joins = lab.log().filter { $0.first == "join" }
    #expect(joins.map { $0[1] } == RobustLab.joins.map(RobustLab.address), "\(joins)")
    #expect(lab.journal() == nil)
    #expect(lab.lockFile().isEmpty)
    lab.expectNoSecrets(first.output(), (second.stdout, second.stderr))
  }

  @Test(
    "SIGINT, SIGTERM or SIGHUP in a join's wait: the join finishes, then apply stops",
    arguments: [SIGINT, SIGTERM, SIGHUP]
  )
  func stopSignal(_ signal: Int32) async throws {
    let lab = try await RobustLab.local()
    let apply = try lab.start()
    let joined = await lab.waitUntil(apply) { lab.joined("node2") }
    apply.send(signal)
    let end = await apply.wait()
    try #require(joined, "apply never joined node2")
    let output = apply.output()
    #expect(end == .exited(1), "\(output.stderr)")
    let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "?"
    #expect(output.stderr.contains("Stopped by \(name) after 1 change"), "\(output.stderr)")
    // Said at once: what it finishes first, and what a second signal would leave.
    #expect(
      output.stderr.contains(
        "\(name): finishing + join node2 (192.168.1.11) as mixed, step 2 of 2 (join on node2)"
      ),
      "\(output.stderr)"
    )
    #expect(output.stderr.contains("Another signal ends mktopo at once"), "\(output.stderr)")
    #expect(output.stdout.contains("done in"), "the join ran to its end")
    #expect(!output.stdout.contains("[2/"), "\(output.stdout)")
    try await lab.expectMembership(joined: ["node2"], voters: nil)
    #expect(lab.log().map { $0.first ?? "" } == ["add-node", "join"], "no next change started")
    #expect(lab.journal() == nil, "a clean stop clears the journal")
    #expect(lab.lockFile().isEmpty)

    let again = try await lab.apply()
    #expect(again.end == .exited(0), "\(again.stderr)")
    #expect(!again.stderr.contains("previous run"), "\(again.stderr)")
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
    lab.expectNoSecrets(output, (again.stdout, again.stderr))
  }

  @Test("a second SIGINT while apply finishes its step ends it at once")
  func secondInterrupt() async throws {
    let lab = try await RobustLab.local(readyDelay: "5s")
    let apply = try lab.start()
    let joined = await lab.waitUntil(apply) { lab.joined("node2") }
    apply.send(SIGINT)
    try await Task.sleep(for: .milliseconds(300))
    let stillRunning = apply.poll() == nil
    let orphans = await apply.signalFrozen(SIGINT)
    let end = await apply.wait()
    for orphan in orphans { await Reaper.waitUntilGone(orphan) }
    try #require(joined && stillRunning, "apply did not reach node2's wait, or ended first")
    #expect(end == .signaled(SIGINT), "\(apply.output().stderr)")
    #expect(!apply.output().stderr.contains("Stopped by"))
    let journal = lab.journal()
    #expect(journal?.node == "node2" && journal?.step == 2, "\(String(describing: journal))")

    let again = try await lab.apply()
    #expect(again.end == .exited(0), "\(again.stderr)")
    #expect(again.stderr.contains("note: a previous run stopped during join node2, step 2 of 2"))
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
    lab.expectNoSecrets(apply.output(), (again.stdout, again.stderr))
  }

  @Test("a second apply on the cluster refuses at once, naming the holder; the first completes")
  func concurrentApply() async throws {
    let lab = try await RobustLab.local()
    let first = try lab.start()
    let started = await lab.waitUntil(first) { lab.position() >= 1 }
    let second = try await lab.apply()
    let firstStillRunning = first.poll() == nil
    let end = await first.wait()
    try #require(
      started && firstStillRunning,
      "the first apply never started a step, or ended first"
    )
    #expect(second.end == .exited(1))
    let holder =
      "error: another mktopo apply holds the lock on cluster homelab: pid \(first.pid) on host \(hostName()), since "
    #expect(second.stderr.hasPrefix(holder), "\(second.stderr)")
    #expect(second.stdout.isEmpty, "\(second.stdout)")
    #expect(end == .exited(0), "\(first.output().stderr)")
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
    #expect(lab.log().filter { $0.first == "join" }.count == 3)
    lab.expectNoSecrets(first.output(), (second.stdout, second.stderr))
  }

  @Test("two applies started together: one carries out the plan, the other refuses")
  func simultaneousApplies() async throws {
    let lab = try await RobustLab.local(readyDelay: "1s")
    let runs = [try lab.start(), try lab.start()]
    var ends: [ApplyProcess.End] = []
    for run in runs { ends.append(await run.wait()) }
    #expect(ends.sorted { "\($0)" < "\($1)" } == [.exited(0), .exited(1)], "\(ends)")
    let loser = runs[ends.firstIndex(of: .exited(1)) ?? 0].output()
    #expect(loser.stderr.contains("holds the lock on cluster homelab"), "\(loser.stderr)")
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
    #expect(lab.log().filter { $0.first == "join" }.count == 3)
    lab.expectNoSecrets(runs[0].output(), runs[1].output())
  }

  @Test("through real OpenSSH: apply joins node2, node3 and worker1; status shows 3 voters")
  func overSSH() async throws {
    try await TestSSHD.withServers(count: 4) { sshd in
      let lab = try await RobustLab.overSSH(sshd)
      let apply = try lab.start()
      let end = await apply.wait(tracking: true)
      let output = apply.output()
      #expect(end == .exited(0), "\(output.stderr)")
      #expect(output.stdout.contains("Apply complete: 3 changes"), "\(output.stdout)")
      let leftovers = await apply.sweep()
      #expect(leftovers.isEmpty, "processes of apply outlived it: \(leftovers)")
      let status = try await lab.mktopo(["status", "-f", lab.topology, "--output", "json"])
      #expect(status.end == .exited(0), "\(status.stderr)")
      let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
      #expect(json?["voters"] as? Int == 3, "\(status.stdout)")
      let nodes = json?["nodes"] as? [[String: Any]] ?? []
      #expect(nodes.filter { $0["ready"] as? Bool == true }.count == 4, "\(status.stdout)")
      try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
      lab.expectNoSecrets(output, (status.stdout, status.stderr))
    }
  }
}

private func hostName() -> String {
  var buffer = [CChar](repeating: 0, count: 256)
  gethostname(&buffer, 255)
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension ApplyRobustnessTests {
  @Test("status during an apply says an apply is in progress, and where it is")
  func statusDuringApply() async throws {
    let lab = try await RobustLab.local(readyDelay: "3s")
    let running = try lab.start()
    let reached = await lab.waitUntil(running) { lab.position() >= 1 }
    try #require(reached, "the apply never started a step")
    let shown = try await lab.mktopo(["status", "-f", lab.topology])
    #expect(
      shown.stderr.contains("note: an apply (pid \(running.pid)) is in progress: join "),
      "\(shown.stderr)"
    )
    let end = await running.finish()
    #expect(end.end == .exited(0), "\(end.stderr)")
  }
}
