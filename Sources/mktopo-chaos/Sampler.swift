/// Samples the world every `interval` while mktopo runs: joins into the wrong cluster,
/// a lost voter majority, and join tokens in the state directory, as they happen rather
/// than only after the run (a token in the journal can be gone by the end).
struct Sampler: Sendable {
  struct Result: Sendable {
    var watch: MembershipWatch
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
    tokens known: Set<String>
  ) async -> Result {
    var result = Result(watch: start, violations: [], tokens: known, samples: 0)
    var quorum = startQuorum
    var leaks: Set<String> = []
    while !Task.isCancelled {
      if let snapshot = try? driver.snapshot() {
        result.samples += 1
        result.tokens.formUnion(snapshot.tokens)
        result.violations += result.watch.observe(snapshot, file: file, run: run)
        result.violations += quorum.observe(
          snapshot,
          harnessTookHostsDown: events.tookHostsDown,
          run: run
        )
      }
      let files = SecretScan.files(under: stateDirectory)
      for finding in SecretScan.findings(in: files, tokens: result.tokens)
      where leaks.insert(finding).inserted {
        result.violations.append(Violation(.tokenLeak, finding + " (while mktopo ran)", run: run))
      }
      try? await Task.sleep(for: interval)
    }
    return result
  }
}
