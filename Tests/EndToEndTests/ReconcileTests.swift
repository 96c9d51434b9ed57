import Foundation
import Testing

/// `mktopo reconcile --once` from a git repository (a bare repository behind a
/// `file://` URL, real git) onto a simulated cluster: every commit converges, and a
/// commit that is invalid or unreadable changes nothing.
@Suite("reconcile: passes from git")
struct ReconcileTests {
  typealias Node = ApplyLab.Node

  static let three: [Node] = [.mixed("node1"), .mixed("node2"), .mixed("node3")]

  @Test(
    "commit, converge; add and remove by commit; an invalid commit changes nothing; a fix converges"
  )
  func gitOpsLifecycle() async throws {
    let gitops = try await ReconcileLab(["node1", "node2", "node3", "worker1"])
    let first = try await gitops.commit(Self.three, "three control-plane nodes")
    let converged = await gitops.once()
    #expect(converged.status == 0, "\(converged.stderr)")
    #expect(converged.stderr.contains("outcome=converged"), "\(converged.stderr)")
    #expect(converged.stderr.contains("revision=\(first)"), "\(converged.stderr)")
    #expect(converged.stderr.contains("changes=2"), "\(converged.stderr)")
    #expect(
      try await gitops.membership() == ["node1": "voter", "node2": "voter", "node3": "voter"]
    )
    #expect(gitops.status()?["lastAppliedRevision"] as? String == first)

    // Add worker1 and remove node3 with `state: absent`, in one commit.
    let second = try await gitops.commit(
      [.mixed("node1"), .mixed("node2"), .absent("node3"), .worker("worker1")],
      "worker1 joins, node3 leaves"
    )
    let changed = await gitops.once()
    #expect(changed.status == 0, "\(changed.stderr)")
    var world = try await gitops.lab.world()
    #expect(
      world.nodes() == ["node1": "control-plane", "node2": "control-plane", "worker1": "worker"]
    )
    #expect(gitops.status()?["lastAppliedRevision"] as? String == second)

    // Broken YAML, then an empty file: reported, nothing removed, lastApplied kept.
    for (text, what) in [("nodes: [\n  - {name: node1\n", "broken"), ("", "empty")] {
      let bad = try await gitops.commit(text: text, "a \(what) topology")
      let refused = await gitops.once()
      #expect(refused.status == 1, "\(what): \(refused.stderr)")
      #expect(refused.stderr.contains("outcome=invalid"), "\(what): \(refused.stderr)")
      #expect(
        refused.stderr.contains("is invalid; the cluster is left as it is"),
        "\(refused.stderr)"
      )
      #expect(gitops.status()?["lastAttemptedRevision"] as? String == bad)
      #expect(gitops.status()?["lastAppliedRevision"] as? String == second)
      world = try await gitops.lab.world()
      #expect(
        world.nodes() == ["node1": "control-plane", "node2": "control-plane", "worker1": "worker"]
      )
    }

    // The fix brings node3 back.
    let fix = try await gitops.commit(
      [.mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("worker1")],
      "node3 is back"
    )
    let fixed = await gitops.once()
    #expect(fixed.status == 0, "\(fixed.stderr)")
    #expect(
      try await gitops.membership() == ["node1": "voter", "node2": "voter", "node3": "voter"]
    )
    let status = try #require(gitops.status())
    #expect(status["lastAppliedRevision"] as? String == fix)
    #expect(status["passes"] as? Int == 5)
    #expect(status["failures"] as? Int == 2)
    #expect(status["changesApplied"] as? Int == 5)
    let metrics = try String(contentsOfFile: gitops.state + "/reconcile.prom", encoding: .utf8)
    #expect(metrics.contains("mktopo_reconcile_passes_total 5"), "\(metrics)")
    #expect(metrics.contains("mktopo_reconcile_failures_total 2"), "\(metrics)")
    #expect(metrics.contains("mktopo_reconcile_changes_applied_total 5"), "\(metrics)")
    #expect(metrics.contains("mktopo_reconcile_drift 0"), "\(metrics)")
    gitops.lab.expectNoSecrets()
  }

  @Test("dry run reports the drift and the plan and changes nothing")
  func dryRun() async throws {
    let gitops = try await ReconcileLab(["node1", "node2"])
    try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let before = try await gitops.lab.world()
    let dry = await gitops.once(["--dry-run"])
    #expect(dry.status == 2, "\(dry.stderr)")
    #expect(dry.stderr.contains("outcome=drift"), "\(dry.stderr)")
    #expect(dry.stderr.contains("drift=1"), "\(dry.stderr)")
    #expect(dry.stdout.contains("+ join node2 (192.168.1.11) as mixed"), "\(dry.stdout)")
    let after = try await gitops.lab.world()
    #expect(after.hosts.map(\.cluster) == before.hosts.map(\.cluster))
    #expect(gitops.status()?["lastAppliedRevision"] is NSNull)
    let metrics = try String(contentsOfFile: gitops.state + "/reconcile.prom", encoding: .utf8)
    #expect(metrics.contains("mktopo_reconcile_drift 1"), "\(metrics)")
    // Applied for real, the dry run finds nothing.
    #expect(await gitops.once().status == 0)
    let clean = await gitops.once(["--dry-run"])
    #expect(clean.status == 0, "\(clean.stderr)")
    #expect(clean.stderr.contains("outcome=converged"), "\(clean.stderr)")
  }

  @Test("suspended: passes change nothing until resumed")
  func suspendAndResume() async throws {
    let gitops = try await ReconcileLab(["node1", "node2"])
    try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let suspended = await gitops.lab.run(
      ["reconcile", "--suspend", "--reason", "maintenance window", "--state-dir", gitops.state]
    )
    #expect(suspended.status == 0, "\(suspended.stderr)")
    let skipped = await gitops.once()
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(skipped.stderr.contains("suspended"), "\(skipped.stderr)")
    #expect(skipped.stderr.contains("maintenance window"), "\(skipped.stderr)")
    #expect(try await gitops.membership() == ["node1": "voter"])
    #expect(gitops.status()?["suspended"] as? Bool == true)

    let resumed = await gitops.lab.run(["reconcile", "--resume", "--state-dir", gitops.state])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("Resumed"), "\(resumed.stdout)")
    let applied = await gitops.once()
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
    #expect(gitops.status()?["suspended"] as? Bool == false)
  }

  @Test(
    "a ref that does not exist, a deleted path, an unreachable repository: reported, nothing changed"
  )
  func badSources() async throws {
    let gitops = try await ReconcileLab(["node1", "node2"])
    try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let noRef = await gitops.once(["--ref", "no-such-branch"])
    #expect(noRef.status == 1)
    #expect(noRef.stderr.contains("outcome=source-failed"), "\(noRef.stderr)")
    #expect(noRef.stderr.contains("no branch, tag or commit 'no-such-branch'"), "\(noRef.stderr)")

    let unreachable = await gitops.lab.run(
      [
        "reconcile", "--git", "file://" + gitops.remote + "-missing", "--path", ReconcileLab.path,
        "--state-dir", gitops.state + "-other", "--once",
      ]
    )
    #expect(unreachable.status == 1)
    #expect(
      unreachable.stderr.contains("cannot fetch from the repository"),
      "\(unreachable.stderr)"
    )

    try await gitops.run(["-C", gitops.work, "rm", "--quiet", ReconcileLab.path])
    try await gitops.run(["-C", gitops.work, "commit", "--quiet", "-m", "delete the topology"])
    try await gitops.run(["-C", gitops.work, "push", "--quiet", "origin", "main"])
    let deleted = await gitops.once()
    #expect(deleted.status == 1)
    #expect(
      deleted.stderr.contains("no file '\(ReconcileLab.path)' at commit"),
      "\(deleted.stderr)"
    )
    #expect(try await gitops.membership() == ["node1": "voter"])
  }

  @Test("--verify-signatures: an unsigned commit is refused and nothing changes")
  func unsignedCommitRefused() async throws {
    let gitops = try await ReconcileLab(["node1", "node2"])
    let commit = try await gitops.commit([.mixed("node1"), .mixed("node2")], "unsigned")
    let refused = await gitops.once(["--verify-signatures"])
    #expect(refused.status == 1, "\(refused.stderr)")
    #expect(refused.stderr.contains("outcome=source-failed"), "\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "git verify-commit does not accept the signature of commit \(commit)"
      ),
      "\(refused.stderr)"
    )
    #expect(gitops.status()?["lastAttemptedRevision"] as? String == commit)
    #expect(gitops.status()?["lastAppliedRevision"] is NSNull)
    #expect(try await gitops.membership() == ["node1": "voter"])
  }

  @Test("a force-pushed branch is followed")
  func forcePush() async throws {
    let gitops = try await ReconcileLab(["node1", "node2", "node3"])
    let base = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    try await gitops.commit([.mixed("node1"), .mixed("node2"), .mixed("node3")], "three")
    #expect(await gitops.once().status == 0)
    // Rewrite history: back to two nodes, with node3 removed, as a new commit on base.
    try await gitops.run(["-C", gitops.work, "reset", "--quiet", "--hard", base])
    let rewritten = try await gitops.commit(
      [.mixed("node1"), .mixed("node2"), .absent("node3")],
      "rewritten: node3 leaves"
    )
    let followed = await gitops.once()
    #expect(followed.status == 0, "\(followed.stderr)")
    #expect(followed.stderr.contains("revision=\(rewritten)"), "\(followed.stderr)")
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
  }

  @Test("a plain file as the source; JSON log lines")
  func fileSourceJSONLogs() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let result = await lab.run(
      [
        "reconcile", "-f", file, "--once", "--log-format", "json", "--state-dir",
        lab.stateDirectory,
      ]
    )
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    let records = lines.compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    #expect(records.count == lines.count, "every line is JSON: \(result.stderr)")
    let pass = try #require(records.first { $0["message"] as? String == "pass" })
    #expect(pass["outcome"] as? String == "converged")
    #expect((pass["revision"] as? String)?.hasPrefix("sha256:") == true)
    #expect(pass["level"] as? String == "info")
    #expect(pass["changes"] as? Int == 1)
    #expect(pass["drift"] as? Int == 0)
    #expect(pass["time"] is String)
    #expect(records.contains { $0["message"] as? String == "change finished" })
  }
}
