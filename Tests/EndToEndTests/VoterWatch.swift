import Foundation

/// Samples `microk8s-sim show` while a command runs and tells every moment a voter left
/// the datastore when it should not have: while only two voters existed (the window
/// after a shrink from three), or while another voter's host was down or stopped; and
/// every sample where the cluster had no quorum.
actor VoterWatch {
  /// What one sample holds: the cluster of the watched node, and which hosts answer.
  struct Sample: Decodable {
    struct Member: Decodable {
      var host: String
      var role: String
    }

    struct Cluster: Decodable {
      var id: Int
      var quorum: Bool
      var members: [Member]
    }

    struct Host: Decodable {
      var address: String
      var hostname: String
      var cluster: Int
      var reachable: Bool
      var running: Bool
    }

    var clusters: [Cluster]
    var hosts: [Host]

    func cluster(id: Int) -> Cluster? { clusters.first { $0.id == id } }

    func name(_ address: String) -> String {
      hosts.first { $0.address == address }?.hostname ?? address
    }

    func answers(_ address: String) -> Bool {
      hosts.first { $0.address == address }.map { $0.reachable && $0.running } ?? false
    }
  }

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
      guard let cluster = sample.cluster(id: id) else { continue }
      if !cluster.quorum { found.append("sample \(index): the datastore has no quorum") }
      guard index + 1 < samples.count, let next = samples[index + 1].cluster(id: id) else {
        continue
      }
      let voters = cluster.members.filter { $0.role == "voter" }.map(\.host)
      let remaining = Set(next.members.map(\.host))
      for voter in voters where !remaining.contains(voter) {
        let name = sample.name(voter)
        if voters.count == 2 {
          found.append("sample \(index): voter \(name) removed while only two voters existed")
        }
        for other in voters where other != voter && !sample.answers(other) {
          found.append(
            "sample \(index): voter \(name) removed while voter \(sample.name(other)) was down"
          )
        }
      }
    }
    return found
  }
}
