import Foundation
import Testing

/// Apply carries out exactly what was approved: a saved plan is bound to its topology
/// and its changes, and a live apply to the plan it printed.
@Suite("apply: what was approved, and nothing else")
struct ApplyApprovalTests {
  typealias Node = ApplyLab.Node

  @Test("a saved plan carries its topology: another file, or a plan edited by hand, is refused")
  func savedPlanIsBound() async throws {
    let lab = try await ApplyLab(["node1", "worker1", "worker2"])
    // e1 makes node1 a cluster with worker1; e2 (its plan saved) asks for nothing more.
    let e1 = try lab.topology([.mixed("node1"), .worker("worker1")], file: "e1.yaml")
    #expect(await lab.apply(e1).status == 0)
    let e2 = try lab.topology([.mixed("node1"), .mixed("worker1")], file: "e2.yaml")
    let p1 = lab.directory.url.appendingPathComponent("p1.json").path
    let p2 = lab.directory.url.appendingPathComponent("p2.json").path
    #expect(await lab.plan(e1, ["--out", p2]).status == 0)
    // e2's plan: worker1 becomes mixed, a role change.
    #expect(await lab.plan(e2, ["--out", p1]).status == 0)

    // A file that is not the plan's: refused, whatever that file would do.
    let before = try await lab.world()
    let other = await lab.apply(e2, ["--auto-approve", "--plan", p2])
    #expect(other.status == 1, "\(other.stdout)\n\(other.stderr)")
    #expect(other.stderr.contains("e2.yaml is not the topology the plan in"), "\(other.stderr)")
    #expect(other.stderr.contains("nothing was changed"), "\(other.stderr)")
    #expect(!other.stdout.contains("Applying"), "\(other.stdout)")
    #expect(try await lab.world().nodes(of: "node1") == before.nodes(of: "node1"))

    // A change added by hand to p2 (which had none): refused, nothing run.
    let edited = lab.directory.url.appendingPathComponent("edited.json").path
    let p1Text = try String(contentsOfFile: p1, encoding: .utf8)
    let p1Changes = try #require(Self.changes(in: p1Text))
    var p2Text = try String(contentsOfFile: p2, encoding: .utf8)
    p2Text = p2Text.replacingOccurrences(of: "\"changes\": []", with: "\"changes\": \(p1Changes)")
    try p2Text.write(toFile: edited, atomically: true, encoding: .utf8)
    let added = await lab.run(["apply", edited, "--state-dir", lab.stateDirectory])
    #expect(added.status == 1, "\(added.stdout)\n\(added.stderr)")
    #expect(
      added.stderr.contains("edited by hand, or planned with other options"),
      "\(added.stderr)"
    )
    #expect(added.stderr.contains("- in the saved plan only: change-role worker1"))
    #expect(try await lab.world().nodes(of: "node1") == before.nodes(of: "node1"))

    // The topology inside a plan edited: refused too.
    let tampered = lab.directory.url.appendingPathComponent("tampered.json").path
    let p1Tampered = p1Text.replacingOccurrences(of: "role: mixed", with: "role: worker")
    #expect(p1Tampered != p1Text)
    try p1Tampered.write(toFile: tampered, atomically: true, encoding: .utf8)
    let content = await lab.run(["apply", tampered, "--state-dir", lab.stateDirectory])
    #expect(content.status == 1)
    #expect(content.stderr.contains("does not match its digest"), "\(content.stderr)")

    // The plan as saved, without -f: carried out from its own copy of e2, unasked.
    let applied = await lab.run(["apply", "--plan", p1, "--state-dir", lab.stateDirectory])
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("~ change-role worker1"), "\(applied.stdout)")
    #expect(try await lab.world().datastore(of: "node1")["worker1"] != nil)
    await lab.expectConverged(e2)
    lab.expectNoSecrets()
  }

  @Test("a live apply stops before a change it did not show, once it is no longer blocked")
  func liveApplyStopsAtUnapproved() async throws {
    let lab = try await ApplyLab(["node1", "worker1", "worker2"])
    let file = try lab.topology([.mixed("node1"), .worker("worker1"), .worker("worker2")])
    // worker2 cannot be reached while the plan is made (status and node listing), and
    // can be again once worker1 has joined.
    await lab.sim(["fault", ApplyLab.address("worker2"), "any", "ssh-unreachable", "--times", "2"])
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("! join worker2: blocked"), "\(applied.stdout)")
    #expect(applied.stdout.contains("+ join worker1"), "\(applied.stdout)")
    #expect(
      applied.stderr.contains("the cluster now needs a change that was not approved"),
      "\(applied.stderr)"
    )
    #expect(applied.stderr.contains("  + join worker2"), "\(applied.stderr)")
    #expect(applied.stderr.contains("run apply again to approve them"), "\(applied.stderr)")
    let world = try await lab.world()
    #expect(Set(world.nodes(of: "node1").keys) == ["node1", "worker1"])
    // Approved this time, it is carried out.
    let again = await lab.apply(file)
    #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
    await lab.expectConverged(file)
  }

  @Test("a reconcile pass carries out only its own plan; the next pass plans the rest")
  func reconcilePassApprovesItsPlan() async throws {
    let lab = try await ApplyLab(["node1", "worker1", "worker2"])
    let file = try lab.topology([.mixed("node1"), .worker("worker1"), .worker("worker2")])
    await lab.sim(["fault", ApplyLab.address("worker2"), "any", "ssh-unreachable", "--times", "2"])
    let once = ["reconcile", "-f", file, "--once", "--log-format", "json", "--state-dir"]
    let first = await lab.run(once + [lab.stateDirectory])
    #expect(first.status == 1, "\(first.stderr)")
    let pass = try #require(Self.passRecord(first.stderr), "\(first.stderr)")
    #expect(pass["outcome"] as? String == "stopped", "\(pass)")
    #expect(pass["changes"] as? Int == 1, "\(pass)")
    let message = pass["error"] as? String ?? pass["message"] as? String ?? ""
    #expect(first.stderr.contains("+ join worker2"), "\(first.stderr)")
    #expect(first.stderr.contains("The next pass plans them."), "\(message)")
    #expect(Set(try await lab.world().nodes(of: "node1").keys) == ["node1", "worker1"])
    let second = await lab.run(once + [lab.stateDirectory])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(Self.passRecord(second.stderr)?["outcome"] as? String == "converged")
    await lab.expectConverged(file)
  }

  /// The `pass` record of reconcile's JSON log lines.
  static func passRecord(_ log: String) -> [String: Any]? {
    log.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }.first { $0["message"] as? String == "pass" }
  }

  /// The `"changes": [...]` array of a plan's JSON text, as text.
  static func changes(in text: String) -> String? {
    guard let start = text.range(of: "\"changes\": [")?.lowerBound,
      let end = text.range(of: "\n  ],\n  \"blocked\"")?.lowerBound
    else { return nil }
    return String(text[start..<end].dropFirst("\"changes\": ".count)) + "\n  ]"
  }
}
