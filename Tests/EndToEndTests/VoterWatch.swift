import Foundation

/// Samples `microk8s-sim show` while a command runs and tells every moment a voter left
/// the datastore when it should not have: while only two voters existed (the window
/// after a shrink from three), or while another voter's host was down or stopped; and
/// every sample where the cluster had no quorum.
actor VoterWatch {
  /// One sample: the world as `microk8s-sim show` prints it.
  typealias Sample = LabWorld

  private var samples: [Sample] = []

  /// Runs `body` while sampling the world every `interval`; returns what `body` returned.
  static func watching<Value>(
    _ lab: ApplyLab,
    interval: Duration = .milliseconds(100),
    _ body: () async -> Value
  ) async -> (Value, VoterWatch) {
    let watch = VoterWatch()
    let simulator = lab.simulator
    let environment = lab.environment
    let sampler = Task {
      while !Task.isCancelled {
        if let sample = try? await sample(simulator, environment) { await watch.add(sample) }
        try? await Task.sleep(for: interval)
      }
    }
    let value = await body()
    sampler.cancel()
    _ = await sampler.value
    if let last = try? await sample(simulator, environment) { await watch.add(last) }
    return (value, watch)
  }

  /// One `microk8s-sim show`, decoded.
  static func sample(
    _ simulator: CommandRunner,
    _ environment: [String: String]
  ) async throws -> Sample {
    let shown = await simulator.run(["show"], environment: environment)
    return try JSONDecoder().decode(Sample.self, from: Data(shown.stdout.utf8))
  }

  private func add(_ sample: Sample) { samples.append(sample) }

  var count: Int { samples.count }

  /// The violations seen in the cluster of the host named `name` (as first sampled).
  func violations(watching name: String) -> [String] {
    guard let first = samples.first,
      let id = first.hosts.first(where: { $0.hostname == name })?.cluster
    else { return ["\(name) was never sampled"] }
    var found: [String] = []
    for (index, sample) in samples.enumerated() {
      guard let cluster = sample.clusters.first(where: { $0.id == id }) else { continue }
      if !cluster.quorum { found.append("sample \(index): the datastore has no quorum") }
      guard index + 1 < samples.count,
        let next = samples[index + 1].clusters.first(where: { $0.id == id })
      else { continue }
      let voters = cluster.members.filter { $0.role == "voter" }.map(\.host)
      // A role adjustment due between the samples may have made three voters before a
      // removal (a loaded machine samples slowly): only a settled pair is judged.
      if let due = cluster.rebalanceAt, due <= samples[index + 1].now, voters.count == 2 {
        continue
      }
      let remaining = Set(next.members.map(\.host))
      for voter in voters where !remaining.contains(voter) {
        let name = sample.hostname(voter)
        if voters.count == 2 {
          found.append("sample \(index): voter \(name) removed while only two voters existed")
        }
        for other in voters where other != voter && !sample.answers(other) {
          found.append(
            "sample \(index): voter \(name) removed while voter \(sample.hostname(other)) was down"
          )
        }
      }
    }
    return found
  }
}

extension LabWorld {
  /// Whether the host at `address` is up and its MicroK8s running.
  func answers(_ address: String) -> Bool {
    hosts.first { $0.address == address }.map { $0.reachable && $0.running } ?? false
  }
}
