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
    /// The least any planner must do: look every listed name up among the observed nodes.
    ///
    /// A dictionary of names; it touches the same memory the plan starts from.
    var baselineMilliseconds: Double
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
    // Every size is timed the same way, as `mktopo plan` runs: one plan after a load has
    // gone through the caches, and likewise one baseline pass. (Repeating small plans
    // back to back would time them with warm caches and large ones cold.)
    let rounds = fixture.nodeCount >= 100_000 ? 7 : 15
    var loads: [Double] = []
    var plans: [Double] = []
    var baselines: [Double] = []
    for _ in 0..<rounds {
      loads.append(timed { precondition(fixture.load() != nil) })
      plans.append(timed { precondition(plan().changes.count == first.changes.count) })
      _ = fixture.load()
      baselines.append(timed { precondition(baseline(topology, fixture.observed) >= 0) })
    }
    return Result(
      nodes: fixture.nodeCount,
      changes: first.changes.count,
      loadMilliseconds: median(loads),
      planMilliseconds: median(plans),
      baselineMilliseconds: median(baselines)
    )
  }

  /// Looks every listed name up among the observed nodes' names.
  private static func baseline(_ topology: Topology, _ observed: ObservedCluster) -> Int {
    var index: [String: Int] = [:]
    index.reserveCapacity(observed.nodes.count)
    for (position, node) in observed.nodes.enumerated() { index[node.name] = position }
    var found = 0
    for spec in topology.nodes where index[spec.name] != nil { found += 1 }
    return found
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
  /// growth of the load and of the name-lookup baseline beside it.
  ///
  /// Past about 10,000 nodes the inputs (topology and observed cluster, tens of MB) no
  /// longer fit in the CPU's caches, so every pass over them, the baseline's too, costs
  /// more per node: wall time then grows faster than the work. The target is therefore
  /// checked on the plan's time per unit of baseline, which cancels the memory effect;
  /// the raw figures are printed beside it.
  private static func reportGrowth(_ scenario: PlanFixture.Scenario, _ results: [Result]) {
    for (small, large) in zip(results, results.dropFirst()) {
      let growth = large.planMilliseconds / small.planMilliseconds
      let loadGrowth = large.loadMilliseconds / small.loadMilliseconds
      let baselineGrowth = large.baselineMilliseconds / small.baselineMilliseconds
      let allowed = nLogN(large.nodes) / nLogN(small.nodes)
      // n log n relative to a linear pass over the same memory: log n's growth.
      let relative = growth / baselineGrowth
      let relativeAllowed = allowed / (Double(large.nodes) / Double(small.nodes))
      print(
        "  growth \(abbreviated(small.nodes))->\(abbreviated(large.nodes)): "
          + "plan \(format(growth))x, n log n \(format(allowed))x, load \(format(loadGrowth))x, "
          + "name lookups \(format(baselineGrowth))x; plan per lookup "
          + "\(format2(relative))x (target <= \(format2(relativeAllowed))x)  "
          + (growth <= allowed || relative <= relativeAllowed ? "ok" : "OVER TARGET")
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
