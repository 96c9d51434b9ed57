/// Samples the world every `interval` while mktopo runs: joins into the wrong cluster,
/// a lost voter majority, and join tokens in the state directory, as they happen rather
/// than only after the run (a token in the journal can be gone by the end).
struct Sampler: Sendable {
  struct Result: Sendable {
    var watch: MembershipWatch
    var quorum: QuorumWatch
    /// Leaks already reported, by their evidence.
    var leaks: Set<String>
    var violations: [Violation]
    var tokens: Set<String>
    var samples: Int
  }

  var driver: SimulatorDriver
  var stateDirectory: String
  var interval: Duration = .milliseconds(150)

  /// Samples until the task is cancelled.
  func run(
    watch start: MembershipWatch,
    quorum startQuorum: QuorumWatch,
    file: TopologyRecipe,
    events: HarnessEvents,
    run: Int,
    tokens known: Set<String>,
    leaks: Set<String>
  ) async -> Result {
    var result = Result(
      watch: start,
      quorum: startQuorum,
      leaks: leaks,
      violations: [],
      tokens: known,
      samples: 0
    )
    while !Task.isCancelled {
      if let snapshot = try? driver.snapshot() {
        result.samples += 1
        result.take(snapshot, file: file, events: events, run: run)
      }
      result.scan(stateDirectory, run: run)
      try? await Task.sleep(for: interval)
    }
    return result
  }
}

extension Sampler.Result {
  /// One sample of the world: joins, quorum, and the tokens it holds.
  mutating func take(_ snapshot: Snapshot, file: TopologyRecipe, events: HarnessEvents, run: Int) {
    tokens.formUnion(snapshot.tokens)
    violations += watch.observe(snapshot, file: file, run: run)
    violations += quorum.observe(snapshot, harnessTookHostsDown: events.tookHostsDown, run: run)
  }

  /// The state directory's files, for join tokens.
  mutating func scan(_ stateDirectory: String, run: Int) {
    let files = SecretScan.files(under: stateDirectory)
    for finding in SecretScan.findings(in: files, tokens: tokens)
    where leaks.insert(finding).inserted {
      violations.append(Violation(.tokenLeak, finding, run: run))
    }
  }
}
