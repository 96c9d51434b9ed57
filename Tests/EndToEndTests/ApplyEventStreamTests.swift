import Foundation
import Testing

/// `apply --output json`: one JSON object per line on standard output, each valid against
/// schema/apply-events.schema.json, telling the run in order; checked on the simulator.
@Suite("apply --output json")
struct ApplyEventStreamTests {
  /// Checks a JSON Lines file with python3's jsonschema.
  ///
  /// Each record against the events schema, each plan record's plan against plan.schema.json, and each change record's
  /// change inside that plan (as a plan's `changes` entry). One line per record:
  /// `valid N` or `invalid N: MESSAGE`.
  static let script = #"""
    import copy, json, sys
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
    events = Draft202012Validator(json.load(open("schema/apply-events.schema.json")))
    plans = Draft202012Validator(json.load(open("schema/plan.schema.json")))
    plan = None
    for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
        try:
            record = json.loads(line)
        except ValueError as exc:
            print(f"invalid {number}: not JSON: {exc}")
            continue
        error = best_match(events.iter_errors(record))
        if error is None and record.get("event") == "plan":
            plan = record["plan"]
            error = best_match(plans.iter_errors(plan))
        if error is None and record.get("event") == "changeStarted" and plan is not None:
            holder = copy.deepcopy(plan)
            holder["changes"] = [record["change"]]
            error = best_match(plans.iter_errors(holder))
        print(f"valid {number}" if error is None else f"invalid {number}: {error.message}")
    """#

  /// The verdict lines for `file`, or nil after recording why the check could not run.
  static func verdicts(_ file: String) async -> [String]? {
    guard let python = which("python3") else {
      Issue.record("python3 is not on PATH; \(SchemaAgreementTests.setupHint)")
      return nil
    }
    let runner = CommandRunner(executable: URL(fileURLWithPath: python))
    let result = await runner.run(["-c", script, file])
    guard result.status == 0 else {
      Issue.record("the schema check exited \(result.status): \(result.stderr)")
      return nil
    }
    return result.stdout.lines
  }

  /// The records of a run's standard output, each parsed.
  static func records(_ stdout: String) throws -> [[String: Any]] {
    try stdout.lines.map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      return try #require(object as? [String: Any], "not a JSON object: \(line)")
    }
  }

  @Test("joins and a removal: every line a valid record, in the order things happened")
  func convergingRun() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3", "worker1"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .worker("worker1")])
    let first = await lab.apply(file, ["--auto-approve", "--output", "json"])
    #expect(first.status == 0, "\(first.stderr)")
    // node3 joins, then is marked absent: a removal, with its leave.
    try lab.topology([.mixed("node1"), .mixed("node2"), .mixed("node3"), .worker("worker1")])
    #expect(await lab.apply(file, ["--auto-approve", "-o", "json"]).status == 0)
    try lab.topology([
      .mixed("node1"), .mixed("node2"), .absent("node3"), .worker("worker1"),
    ])
    let removal = await lab.apply(file, ["--auto-approve", "-o", "json"])
    #expect(removal.status == 0, "\(removal.stderr)")
    lab.expectNoSecrets()

    for run in [first, removal] {
      let lines = try lab.directory.write("events.jsonl", run.stdout)
      let verdicts = try #require(await Self.verdicts(lines))
      #expect(verdicts.count == run.stdout.lines.count)
      #expect(verdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(verdicts)\n\(run.stdout)")
      let records = try Self.records(run.stdout)
      let events = records.compactMap { $0["event"] as? String }
      #expect(events.first == "plan")
      #expect(events.last == "summary")
      let summary = try #require(records.last)
      #expect(summary["converged"] as? Bool == true)
      let plan = try #require(records.first?["plan"] as? [String: Any])
      let planned = try #require(plan["changes"] as? [Any]).count
      #expect(events.filter { $0 == "changeStarted" }.count == planned)
      #expect(events.filter { $0 == "changeFinished" }.count == planned)
      #expect((summary["applied"] as? [Any])?.count == planned)
      // Each change's steps come between its start and its finish, in order.
      var open: Int?
      var nextStep = 1
      for record in records {
        switch record["event"] as? String {
        case "changeStarted":
          #expect(open == nil)
          open = record["number"] as? Int
          nextStep = 1
        case "stepStarted":
          #expect(record["number"] as? Int == open)
          #expect(record["step"] as? Int == nextStep)
        case "stepFinished":
          #expect(record["step"] as? Int == nextStep)
          nextStep += 1
        case "changeFinished":
          #expect(record["number"] as? Int == open)
          open = nil
        default: break
        }
      }
    }
    let verbs = try Self.records(removal.stdout).compactMap { $0["verb"] as? String }
    #expect(verbs == ["cordon", "drain", "leave", "remove-node"])
    // Nothing left: a plan record and a converged summary, nothing else.
    let again = await lab.apply(file, ["--auto-approve", "-o", "json"])
    #expect(
      try Self.records(again.stdout).compactMap { $0["event"] as? String } == [
        "plan", "summary",
      ]
    )
  }

  @Test("a join that fails once: a retry record, then the change again as attempt 2")
  func retry() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    await lab.sim([
      "fault", ApplyLab.address("node2"), "join", "join-agent-unreachable", "--times", "1",
    ])
    let result = await lab.apply(file, ["--auto-approve", "-o", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let records = try Self.records(result.stdout)
    let retry = try #require(
      records.first { $0["event"] as? String == "retry" },
      "\(result.stdout)"
    )
    #expect(retry["attempt"] as? Int == 1)
    #expect((retry["error"] as? String)?.contains("node2") == true, "\(retry)")
    let attempts = records.filter { $0["event"] as? String == "changeStarted" }
      .compactMap { $0["attempt"] as? Int }
    #expect(attempts == [1, 2])
    let lines = try lab.directory.write("retry.jsonl", result.stdout)
    let verdicts = try #require(await Self.verdicts(lines))
    #expect(verdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(verdicts)")
    lab.expectNoSecrets()
  }

  @Test("a refused plan ends the stream with an error record; nothing else is on stdout")
  func refusal() async throws {
    let lab = try await ApplyLab(["node1", "node2", "node3"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2"), .mixed("node3")])
    #expect(await lab.apply(file).status == 0)
    // Two removals with maxRemovals 1: refused as a whole.
    try lab.topology(
      [.mixed("node1"), .absent("node2"), .absent("node3")],
      policy: ["maxRemovals": "1"]
    )
    let refused = await lab.apply(file, ["--auto-approve", "-o", "json"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("error: nothing was changed"), "\(refused.stderr)")
    let records = try Self.records(refused.stdout)
    #expect(records.compactMap { $0["event"] as? String } == ["plan", "error"])
    let message = try #require(records.last?["message"] as? String)
    #expect(message.hasPrefix("nothing was changed"))
    let lines = try lab.directory.write("refused.jsonl", refused.stdout)
    let verdicts = try #require(await Self.verdicts(lines))
    #expect(verdicts.allSatisfy { $0.hasPrefix("valid ") }, "\(verdicts)")

    // An invalid topology: its diagnostics on standard error, one error record on stdout.
    try lab.topology([.absent("node1"), .absent("node2"), .absent("node3")])
    let invalid = await lab.apply(file, ["--auto-approve", "-o", "json"])
    #expect(invalid.status == 1)
    #expect(invalid.stderr.contains("error: no control-plane node"), "\(invalid.stderr)")
    let only = try Self.records(invalid.stdout)
    #expect(only.compactMap { $0["event"] as? String } == ["error"])
  }

  @Test("without --auto-approve or a saved plan, --output json is a usage error")
  func needsApproval() async throws {
    let lab = try await ApplyLab(["node1"])
    let file = try lab.topology([.mixed("node1")])
    let result = await lab.apply(file, ["--output", "json"])
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("--output json cannot ask for confirmation"))
  }

  @Test("the schema refuses what mktopo never writes")
  func schemaBites() async throws {
    let directory = try TemporaryDirectory()
    let time = "\"time\":\"2026-12-04T10:00:00Z\""
    let bad = [
      "{\"event\":\"changeFinished\",\"number\":1}",  // no time
      "{\"event\":\"bogus\",\(time)}",
      "{\"event\":\"stepFinished\",\(time),\"number\":1,\"step\":1,\"milliseconds\":-3}",
      "{\"event\":\"stepStarted\",\(time),\"number\":1,\"step\":1,\"steps\":2,"
        + "\"verb\":\"reboot\",\"host\":\"a\",\"command\":\"x\"}",
      "{\"event\":\"summary\",\(time),\"converged\":true}",
    ]
    let file = try directory.write("bad.jsonl", bad.joined(separator: "\n") + "\n")
    let verdicts = try #require(await Self.verdicts(file))
    #expect(verdicts.count == bad.count)
    #expect(verdicts.allSatisfy { $0.hasPrefix("invalid ") }, "\(verdicts)")
  }
}
