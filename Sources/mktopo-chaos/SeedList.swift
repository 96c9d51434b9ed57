/// `--seeds 1-1000`, `--seeds 7`, `--seeds 3,9,20-25`: the seeds to run, in order.
struct SeedList: Sendable, Equatable {
  var seeds: [UInt64]

  init?(_ text: String) {
    var seeds: [UInt64] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count),
        let low = UInt64(bounds[0]),
        let high = UInt64(bounds[bounds.count - 1]),
        low <= high, high - low < 10_000_000
      else { return nil }
      seeds += Array(low...high)
    }
    guard !seeds.isEmpty else { return nil }
    self.seeds = seeds
  }
}
