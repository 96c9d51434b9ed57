/// The random world of one scenario: which machines exist, which clusters they form, and
/// what has already gone wrong with them before mktopo first runs.
struct WorldRecipe: Sendable {
  /// How a datastore member lost its Node object.
  enum GhostKind: String, Sendable {
    /// `kubectl delete node` while the machine runs on.
    case alive
    /// The Node was deleted and the machine went away for good.
    case gone
    /// The Node was deleted and the machine was reinstalled: a fresh standalone MicroK8s
    /// at the address the datastore still lists.
    case reinstalled
  }

  var hosts: [HostRecipe]
  /// The address of the machine the file's cluster was formed on, when it was.
  var founder: String?
  /// The address of the machine the foreign cluster was formed on, when there is one.
  var foreignFounder: String?
  var ghosts: [(address: String, kind: GhostKind)]
  /// Members that ran `microk8s leave` by hand; their Node objects stay registered.
  var handLeft: [String]
  /// Addresses a file may list that no machine answers to.
  var lacking: [(name: String, address: String, role: Role)]
  var readyDelay: Int
  var rebalanceDelay: Int
  /// What is already wrong when mktopo first runs.
  var initial: [SimulatorAction]
  /// Pods and budgets on the file's cluster, there from its forming on.
  var workloads: WorkloadRecipe = .none

  func host(_ address: String) -> HostRecipe? {
    hosts.first { $0.address == address }
  }

  static func generate(_ random: inout SplitMix64) -> WorldRecipe {
    var hosts: [HostRecipe] = []
    let mixed = random.int(1...7)
    let workers = random.int(0...5)
    let formed = random.chance(0.75)
    // Now and then the formed cluster is a minor version behind the files: an upgrade.
    let clusterTrack = formed && random.chance(0.15) ? "1.27" : Tracks.file
    for index in 1...mixed {
      // The first machine founds the cluster when it is formed; the others were joined
      // one by one, or are standalone and waiting for mktopo.
      let joined = formed && (index == 1 || random.chance(0.85))
      var track = joined ? clusterTrack : Tracks.file
      if !joined && random.chance(index == 1 ? 0.12 : 0.08) { track = random.pick(Tracks.others) }
      hosts.append(
        HostRecipe(
          address: "192.168.1.\(9 + index)",
          hostname: "node\(index)",
          track: track,
          role: .mixed,
          part: .fileCluster,
          joined: joined
        )
      )
    }
    for index in stride(from: 1, through: workers, by: 1) {
      let joined = formed && random.chance(0.8)
      let track =
        joined ? clusterTrack : random.chance(0.08) ? random.pick(Tracks.others) : Tracks.file
      hosts.append(
        HostRecipe(
          address: "192.168.1.\(19 + index)",
          hostname: "worker\(index)",
          track: track,
          role: .worker,
          part: .fileCluster,
          joined: joined
        )
      )
    }
    if random.chance(0.05) {
      let index = random.int(0...(hosts.count - 1))
      // Node names are the lowercase hostname (contract §7): the file says `node2`.
      hosts[index].hostname = hosts[index].hostname.uppercased()
    }
    for index in stride(from: 1, through: random.int(0...2), by: 1) {
      let track = random.chance(0.25) ? random.pick(Tracks.others) : Tracks.file
      hosts.append(
        HostRecipe(
          address: "192.168.1.\(29 + index)",
          hostname: "spare\(index)",
          track: track,
          role: random.chance(0.6) ? .mixed : .worker,
          part: .spare,
          joined: false
        )
      )
    }
    // Machines not yet in any cluster may have no MicroK8s at all, for mktopo to install.
    for index in hosts.indices where !hosts[index].joined && hosts[index].part != .foreign {
      if random.chance(0.2) { hosts[index].bare = true }
    }
    var foreignFounder: String?
    if random.chance(0.3) {
      let count = random.int(2...3)
      for index in 1...count {
        hosts.append(
          HostRecipe(
            address: "192.168.2.\(9 + index)",
            hostname: "far\(index)",
            track: Tracks.file,
            role: index == 3 && random.chance(0.5) ? .worker : .mixed,
            part: .foreign,
            joined: true
          )
        )
      }
      foreignFounder = "192.168.2.10"
    }
    var recipe = WorldRecipe(
      hosts: hosts,
      founder: formed ? "192.168.1.10" : nil,
      foreignFounder: foreignFounder,
      ghosts: [],
      handLeft: [],
      lacking: [],
      readyDelay: random.pick([0, 0, 200, 500, 1000]),
      rebalanceDelay: random.pick([0, 0, 300, 1000]),
      initial: []
    )
    if formed {
      let members = hosts.filter { $0.part == .fileCluster && $0.joined }
      recipe.workloads = WorkloadRecipe.generate(on: members, &random)
    }
    recipe.addAccidents(&random)
    return recipe
  }

  /// Ghosts, hand-run leaves, missing machines, and hosts down, stopped or failing.
  private mutating func addAccidents(_ random: inout SplitMix64) {
    let members = hosts.filter { $0.part == .fileCluster && $0.joined && $0.address != founder }
    var candidates = random.shuffled(members)
    if random.chance(0.15), let ghost = candidates.first(where: { $0.role == .mixed }) {
      let kind = random.pick([GhostKind.alive, .gone, .reinstalled, .reinstalled])
      ghosts.append((ghost.address, kind))
      candidates.removeAll { $0.address == ghost.address }
    }
    if random.chance(0.15), let left = candidates.first {
      handLeft.append(left.address)
    }
    if random.chance(0.1) {
      lacking.append(("node9", "192.168.1.50", .mixed))
    }
    if random.chance(0.08) {
      lacking.append(("worker9", "192.168.1.60", .worker))
    }
    let addresses = hosts.map(\.address)
    if random.chance(0.2) {
      initial.append(.host(random.pick(addresses), .down))
    }
    if random.chance(0.1) {
      initial.append(.host(random.pick(addresses), .stop))
    }
    for _ in stride(from: 0, to: random.chance(0.3) ? random.int(1...2) : 0, by: 1) {
      initial.append(.randomFault(on: random.pick(addresses), &random))
    }
  }
}
