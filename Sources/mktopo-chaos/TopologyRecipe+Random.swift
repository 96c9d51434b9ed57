/// Random files for a world: most of what the world holds, a little of what it does not,
/// and the mistakes people make writing them (misspelt names, wrong roles, other tracks).
extension TopologyRecipe {
  static func generate(for world: WorldRecipe, _ random: inout SplitMix64) -> TopologyRecipe {
    // Half the files are written with care: mistakes spread over every file would leave
    // almost none that can converge, and convergence is worth checking.
    let sloppy = random.chance(0.5)
    var version = Tracks.file
    if random.chance(0.05) {
      version = Tracks.file + "/stable"
    } else if sloppy && random.chance(0.15) {
      version = random.pick(Tracks.others)
    }
    let maxRemovals = random.chance(0.75) ? MaxRemovals.count(random.int(0...3)) : .unset
    let seconds = [3, 5, 10, 20]
    var file = TopologyRecipe(
      version: version,
      prune: random.chance(0.35),
      maxRemovals: maxRemovals,
      cleanupGhosts: random.chance(world.ghosts.isEmpty ? 0.3 : 0.6),
      timeouts: (random.pick(seconds), random.pick(seconds), random.pick(seconds)),
      nodes: [],
      oversized: nil
    )
    file.drain = random.pick([nil, nil, true, false])
    file.drainTimeout = random.pick([5, 10, 20])
    file.install = random.pick([nil, nil, true, false])
    if random.chance(0.04) {
      let digits = random.pick(["99999999999999999999", "18446744073709551616"])
      file.oversized = random.pick([
        ("maxRemovals", digits), ("joinTimeout", digits + "s"), ("tokenTTL", digits + "m"),
      ])
    }
    for host in world.hosts {
      let (include, absent): (Double, Double) =
        switch host.part {
        case .fileCluster: (0.9, 0.1)
        case .spare: (0.45, 0.1)
        case .foreign: (sloppy ? 0.25 : 0.05, 0.5)
        }
      guard random.chance(include) else { continue }
      let isAbsent = random.chance(absent)
      file.nodes.append(
        Node(
          name: sloppy && random.chance(0.08) ? host.nodeName + "x" : host.nodeName,
          address: isAbsent && random.chance(0.3) ? nil : host.address,
          role: host.part == .fileCluster && random.chance(sloppy ? 0.12 : 0.05)
            ? host.role.other : host.role,
          absent: isAbsent,
          version: sloppy && random.chance(0.08)
            ? random.pick([Tracks.file] + Tracks.others) : nil
        )
      )
    }
    for missing in world.lacking where sloppy && random.chance(0.7) {
      file.nodes.append(
        Node(
          name: missing.name,
          address: missing.address,
          role: missing.role,
          absent: random.chance(0.2),
          version: nil
        )
      )
    }
    if random.chance(0.2) { file.nodes = random.shuffled(file.nodes) }
    file.ensureControlPlane()
    return file
  }

  /// The same file after one edit, as a later commit would make it.
  func mutated(_ random: inout SplitMix64) -> TopologyRecipe {
    var file = self
    let index = file.nodes.isEmpty ? 0 : random.int(0...(file.nodes.count - 1))
    switch random.int(0...5) {
    case 0: file.prune.toggle()
    case 5: file.drain = !file.drains
    case 1 where !file.nodes.isEmpty:
      file.nodes[index].absent.toggle()
      if file.nodes[index].address == nil {
        file.nodes[index].address = "192.168.1.\(70 + index)"
      }
    case 2 where !file.nodes.isEmpty: file.nodes[index].role = file.nodes[index].role.other
    case 3 where file.nodes.count > 1: file.nodes.remove(at: index)
    default: file.maxRemovals = .count(random.int(0...3))
    }
    file.ensureControlPlane()
    return file
  }

  /// A file needs one present mixed node to be valid; the first mixed entry becomes one.
  private mutating func ensureControlPlane() {
    guard !nodes.contains(where: { !$0.absent && $0.role == .mixed }) else { return }
    if let index = nodes.firstIndex(where: { $0.role == .mixed && $0.address != nil }) {
      nodes[index].absent = false
    } else if let index = nodes.firstIndex(where: { $0.address != nil }) ?? nodes.indices.first {
      // With no address anywhere, 192.168.1.10 cannot clash with another entry's.
      nodes[index].address = nodes[index].address ?? "192.168.1.10"
      nodes[index].absent = false
      nodes[index].role = .mixed
    } else {
      nodes.insert(
        Node(name: "node1", address: "192.168.1.10", role: .mixed, absent: false, version: nil),
        at: 0
      )
    }
  }
}
