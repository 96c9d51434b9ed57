import Glibc
import MembershipCore

/// Plans generated topologies against matching observed clusters at three sizes, and
/// sets the time beside the time to load the topology.
///
/// Targets: planning costs less than loading the file, and its time grows no faster
/// than n log n from size to size.
enum PlanBenchmark {
  /// The figures for one scenario at one size.
  struct Result {
    var nodes: Int
    var changes: Int
    var loadMilliseconds: Double
    var planMilliseconds: Double
  }

  static let sizes = [1_000, 10_000, 100_000]

  /// Runs every scenario at every size and prints the figures; false when a generated
  /// topology does not load or a plan is not the one expected.
  static func run(sizes: [Int]) -> Bool {
    print()
    print("planning: one node in 10 mixed, the rest workers; medians of the release build")
    if sizes.contains(where: { $0 > PlanFixture.nodesPerFile }) {
      print(
        "(more than \(PlanFixture.nodesPerFile) nodes are loaded as files of that many: the "
          + "loader refuses files over 4 MiB)"
      )
    }
    print(
      "scenario    "
        + ["nodes", "changes", "load ms", "plan ms"].map { padded($0, 9) }.joined()
        + "   plan/load (target < 1)"
    )
    for scenario in PlanFixture.Scenario.allCases {
      var results: [Result] = []
      for nodes in sizes {
        guard let result = measure(PlanFixture(scenario, nodes: nodes)) else { return false }
        report(scenario, result)
        results.append(result)
      }
      reportGrowth(scenario, results)
    }
    return true
  }

  /// Checks the plan once, then times loading and planning, interleaved.
  private static func measure(_ fixture: PlanFixture) -> Result? {
    guard let topology = fixture.load(), topology.nodes.count == fixture.nodeCount else {
      print("the generated \(fixture.nodeCount)-node topology did not load")
      return nil
    }
    func plan() -> Plan {
      Planner.plan(desired: topology, observed: fixture.observed, fingerprint: "bench")
    }
    let first = plan()
    var counts: [Change.Action: Int] = [:]
    for change in first.changes { counts[change.action, default: 0] += 1 }
    guard counts == fixture.expectedChanges, first.blocked.isEmpty else {
      print(
        "unexpected \(fixture.scenario.rawValue) plan at \(fixture.nodeCount) nodes: "
          + "\(counts), \(first.blocked.count) blocked \(first.blocked.prefix(3))"
      )
      return nil
    }
    // Below 10,000 nodes a sample repeats, so that it is long enough to time; from there
    // each plan runs once, as in `mktopo plan`, after a load has gone through the caches.
    let repeats = fixture.nodeCount < 10_000 ? 10 : 1
    let rounds = fixture.nodeCount >= 100_000 ? 7 : fixture.nodeCount >= 10_000 ? 11 : 15
    var loads: [Double] = []
    var plans: [Double] = []
    for _ in 0..<rounds {
      loads.append(
        timed {
          for _ in 0..<repeats { precondition(fixture.load() != nil) }
        } / Double(repeats)
      )
      plans.append(
        timed {
          for _ in 0..<repeats { precondition(plan().changes.count == first.changes.count) }
        } / Double(repeats)
      )
    }
    return Result(
      nodes: fixture.nodeCount,
      changes: first.changes.count,
      loadMilliseconds: median(loads),
      planMilliseconds: median(plans)
    )
  }

  private static func report(_ scenario: PlanFixture.Scenario, _ result: Result) {
    let ratio = result.planMilliseconds / result.loadMilliseconds
    let columns = [
      String(result.nodes), String(result.changes), format(result.loadMilliseconds),
      format(result.planMilliseconds),
    ]
    print(
      scenario.rawValue + String(repeating: " ", count: max(0, 12 - scenario.rawValue.count))
        + columns.map { padded($0, 9) }.joined()
        + "   \(padded(format2(ratio), 4))  \(ratio < 1 ? "ok" : "OVER TARGET")"
    )
  }

  /// Plan time from one size to the next, against what n log n would allow, with the
  /// load time's growth beside it.
  private static func reportGrowth(_ scenario: PlanFixture.Scenario, _ results: [Result]) {
    for (small, large) in zip(results, results.dropFirst()) {
      let growth = large.planMilliseconds / small.planMilliseconds
      let loadGrowth = large.loadMilliseconds / small.loadMilliseconds
      let allowed = nLogN(large.nodes) / nLogN(small.nodes)
      print(
        "  growth \(abbreviated(small.nodes))->\(abbreviated(large.nodes)): "
          + "plan \(format(growth))x, n log n \(format(allowed))x, load \(format(loadGrowth))x  "
          + (growth <= allowed ? "ok" : "OVER TARGET")
      )
    }
  }

  private static func nLogN(_ count: Int) -> Double {
    Double(count) * log2(Double(count))
  }

  private static func abbreviated(_ count: Int) -> String {
    count % 1000 == 0 ? "\(count / 1000)k" : String(count)
  }
}
