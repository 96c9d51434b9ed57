/// Everything one seed decides, drawn up front so that a seed always replays the same
/// world, files, runs and moments; only wall-clock timing can differ between replays.
struct Scenario: Sendable {
  var seed: UInt64
  var world: WorldRecipe
  var files: [TopologyRecipe]
  var runs: [RunRecipe]

  static func generate(seed: UInt64) -> Scenario {
    var random = SplitMix64(seed: seed)
    let world = WorldRecipe.generate(&random)
    var files = [TopologyRecipe.generate(for: world, &random)]
    if random.chance(0.25) { files.append(files[0].mutated(&random)) }
    let count = random.int(2...5)
    let addresses = world.hosts.map(\.address)
    let runs = (0..<count).map { index in
      let file = files.count > 1 && index >= count / 2 ? 1 : 0
      return RunRecipe.generate(file: file, addresses: addresses, &random)
    }
    return Scenario(seed: seed, world: world, files: files, runs: runs)
  }
}
