import Foundation
import Testing

/// `mktopo apply` against every failure in the simulator's catalogue that can hit a
/// command it runs.
///
/// A transient failure is retried (a join with a fresh token) and the run converges; any
/// other stops the run with exit 1 and a message naming the node, the command and what
/// failed, leaving a consistent cluster (no ghost, voters with a majority) that a second
/// apply, once the fault is gone, brings to the topology.
@Suite("apply: faults")
struct ApplyFaultTests {
  /// Builds the scenario's world, applies its starting topology, and writes the one
  /// under test.
  static func prepare(
    _ scenario: FaultScenario,
    policy: [String: String] = [:]
  ) async throws -> (lab: ApplyLab, file: String) {
    let lab = try await ApplyLab(scenario.hosts, hosts: scenario.specs)
    if let before = scenario.before {
      let setup = try lab.topology(before, file: "before.yaml")
      let applied = await lab.apply(setup)
      try #require(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    }
    if scenario == .evictDownNode { await lab.host("node3", "down") }
    return (lab, try lab.topology(scenario.topology, policy: policy))
  }

  static func expectGoal(
    _ scenario: FaultScenario,
    _ lab: ApplyLab,
    _ context: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let world = try await lab.world()
    #expect(
      world.datastore() == scenario.goal.datastore,
      "\(context)",
      sourceLocation: sourceLocation
    )
    #expect(world.nodes() == scenario.goal.nodes, "\(context)", sourceLocation: sourceLocation)
    #expect(
      world.problems().isEmpty,
      "\(context): \(world.problems())",
      sourceLocation: sourceLocation
    )
  }

  @Test(
    "a fault once, then apply: converged, or stopped with a message and a sound cluster",
    arguments: FaultCase.all
  )
  func fault(_ test: FaultCase) async throws {
    try await Self.check(test)
  }

  static func check(_ test: FaultCase) async throws {
    let (lab, file) = try await prepare(test.scenario, policy: test.policy)
    let address = ApplyLab.address(test.host)
    await lab.sim(["fault", address, test.verb, test.fault, "--times", "1"])
    let result = await lab.apply(file)
    let output = result.stdout + result.stderr
    let context = "\(test.testDescription):\n\(output)"
    let converged =
      test.outcome == .converges || (test.outcome == .convergesOrStops && result.status == 0)
    if converged {
      #expect(result.status == 0, "\(context)")
      try await expectGoal(test.scenario, lab, context)
      await lab.expectConverged(file)
      // A failed join is tried again with a fresh token: it may have burnt the first.
      // What passes within a minute is tried again by the join step itself; the rest
      // by running the change again.
      if test.verb == "join", test.fault != "join-hostpath-warning" {
        let again =
          ["join-fingerprint-mismatch", "join-agent-no-cluster-file"].contains(test.fault)
          ? "another join attempt with a fresh token" : "(attempt 2)"
        #expect(output.contains(again), "\(context)")
        #expect(lab.tokens.count >= 2, "\(context)")
      }
    } else {
      #expect(result.status == 1, "\(context)")
      for text in test.mentions { #expect(output.contains(text), "\(text) in \(context)") }
      #expect(try await lab.world().problems().isEmpty, "\(context)")
    }
    await lab.sim(["fault", "clear"])
    let again = await lab.apply(file)
    #expect(again.status == 0, "after fault clear: \(again.stdout)\n\(again.stderr)")
    try await expectGoal(test.scenario, lab, "after fault clear: \(again.stdout)")
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  /// Verbs apply runs; `any` stands for a host-wide fault.
  static let appliedVerbs: Set<String> = [
    "any", "status", "kubectl", "version", "add-node", "join", "leave", "remove-node", "snap",
  ]

  /// Faults covered by a test of their own rather than a row of the table.
  static let dedicatedTests: Set<String> = ["join-silent-timeout join"]

  @Test("every fault of the catalogue that can hit apply's commands has a case")
  func catalogueCovered() async throws {
    let lab = try await ApplyLab(["node1"])
    let catalogue = await lab.sim(["faults"])
    var missing: [String] = []
    var count = 0
    for line in catalogue.stdout.lines.dropFirst() {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 2 else { continue }
      let fault = String(fields[0])
      for verb in fields[1].split(separator: ",").map(String.init)
      where Self.appliedVerbs.contains(verb) {
        count += 1
        let dedicated = Self.dedicatedTests.contains("\(fault) \(verb)")
        if !dedicated, !FaultCase.all.contains(where: { $0.fault == fault && $0.verb == verb }) {
          missing.append("\(fault) \(verb)")
        }
      }
    }
    #expect(count > 40, "the catalogue did not parse:\n\(catalogue.stdout)")
    #expect(missing.isEmpty, "faults without a case: \(missing)")
  }
}
