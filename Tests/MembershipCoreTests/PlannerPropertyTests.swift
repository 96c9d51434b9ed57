import MembershipCore
import Testing

/// Planner properties over thousands of seeded random (cluster, topology) pairs.
///
/// Each is planned and executed by a perfect engine until nothing changes; the seed is
/// in every failure message.
@Suite("Planner properties")
struct PlannerPropertyTests {
  /// A random world: some listed nodes are members, some standalone, some unreachable;
  /// some members are unlisted, some are down (NotReady, and unreachable when listed);
  /// some listed nodes are absent; some datastore members are ghosts.
  static func world(seed: UInt64) -> (Topology, ObservedCluster) {
    var random = SplitMix64(seed: seed)
    func roll(_ n: UInt64) -> Int { Int(random.next() % n) }
    let track = Track(major: 1, minor: 28)
    let count = 1 + roll(8)
    var specs: [NodeSpec] = []
    var observed = ObservedCluster()
    var members: [DatastoreMember] = []
    for index in 0..<count {
      let name = "n\(index)"
      let address = NodeAddress.ipv4(0x0A00_0001 + UInt32(index))
      let role: Role = roll(3) == 0 ? .worker : .mixed
      let state: NodeState = roll(5) == 0 ? .absent : .present
      let listed = roll(6) != 0
      // Now and then the file misspells a member's name: the member looks unlisted.
      let misspelt = listed && roll(12) == 0
      if listed {
        specs.append(
          NodeSpec(
            name: misspelt ? name + "x" : name,
            address: address,
            role: role,
            version: track,
            state: state
          )
        )
      }
      if roll(2) == 0 || !listed {
        let memberRole: Role = roll(4) == 0 ? (role == .mixed ? .worker : .mixed) : role
        // A down host: its node turns NotReady, and a listed one cannot be reached.
        let down = roll(7) == 0
        if down, listed { observed.unreachable.append(name) }
        observed.nodes.append(
          ObservedNode(
            name: name,
            internalIP: address,
            role: memberRole,
            ready: !down,
            kubeletVersion: "v1.28.3"
          )
        )
        if memberRole == .mixed { members = DatastoreModel.joined(members, address: address) }
      } else if listed {
        // The host's own name, which a misspelt entry does not carry.
        observed.probes.append(
          NodeProbe(
            name: misspelt ? name + "x" : name,
            finding: .standalone(track: track),
            hostname: name
          )
        )
      }
    }
    // Ghosts: datastore members whose node is gone.
    for ghost in 0..<(roll(5) == 0 ? 1 + roll(2) : 0) {
      members = DatastoreModel.joined(members, address: .ipv4(0x0A00_0200 + UInt32(ghost)))
    }
    observed.datastore = members
    // Keep every file valid: at least one present mixed node.
    if !specs.contains(where: { $0.state == .present && $0.role == .mixed }) {
      let address = NodeAddress.ipv4(0x0A00_0100)
      specs.append(NodeSpec(name: "anchor", address: address, role: .mixed, version: track))
      observed.probes.append(
        NodeProbe(name: "anchor", finding: .standalone(track: track), hostname: "anchor")
      )
    }
    let prune = roll(2) == 0
    let topology = Topology(
      cluster: ClusterSpec(name: "c", version: track),
      policy: Policy(prune: prune, maxRemovals: 1 + roll(3), cleanupGhosts: roll(2) == 0),
      nodes: specs
    )
    observed.contact =
      specs.first { spec in
        spec.role == .mixed && !observed.unreachable.contains(spec.name)
          && observed.nodes.contains { $0.name == spec.name && $0.role == .mixed && $0.ready }
      }?.name
    return (topology, observed)
  }

  static func plan(_ topology: Topology, _ observed: ObservedCluster) -> Plan {
    Planner.plan(desired: topology, observed: observed, fingerprint: "f")
  }

  @Test(
    "converges, keeps quorum, touches one node per change, removes only on request",
    arguments: 0..<16
  )
  func converges(batch: UInt64) {
    var exercised = 0
    var matched = 0
    for seed in (batch * 250)..<((batch + 1) * 250) {
      let (topology, start) = Self.world(seed: seed)
      var observed = start
      var passes = 0
      while true {
        observed = PlanSimulation.observe(observed, topology: topology)
        let plan = Self.plan(topology, observed)
        guard let change = plan.changes.first else { break }
        passes += 1
        guard passes < 40 else {
          Issue.record(
            "seed \(seed): no convergence after 40 changes; last plan \(plan.summaryLines)"
          )
          break
        }
        checkChange(change, topology: topology, observed: observed, seed: seed)
        let before = observed
        observed = PlanSimulation.apply(change, to: observed, topology: topology)
        let voters = DatastoreModel.voters(in: observed.datastore)
        #expect(
          voters.isEmpty == observed.datastore.isEmpty,
          "seed \(seed): the datastore lost every voter after \(change.action) \(change.node)"
        )
        checkQuorum(change, before: before, after: observed, seed: seed)
      }
      // Idempotent once converged: planning again finds nothing to do.
      let final = Self.plan(topology, observed)
      #expect(final.changes.isEmpty, "seed \(seed)")
      if passes > 0 { exercised += 1 }
      // With nothing blocked, the cluster is exactly what the file says.
      if final.blocked.isEmpty {
        matched += 1
        expectMatches(topology, observed, kept: final.kept, seed: seed)
      }
    }
    // The generator must produce real work, not worlds where everything is blocked.
    #expect(exercised > 80, "only \(exercised) of 250 worlds needed any change")
    // A down member is drift no change removes, so some worlds end blocked on purpose.
    #expect(matched > 45, "only \(matched) of 250 worlds ended with nothing blocked")
  }

  /// Nothing blocked and nothing to do: the cluster is exactly what the file says, and
  /// only the members it does not list (with prune off) may differ, named as kept.
  private func expectMatches(
    _ topology: Topology,
    _ observed: ObservedCluster,
    kept: [String],
    seed: UInt64
  ) {
    let members = Dictionary(uniqueKeysWithValues: observed.nodes.map { ($0.name, $0) })
    let addresses = Set(observed.nodes.compactMap(\.internalIP))
    #expect(
      observed.datastore.allSatisfy { addresses.contains($0.address) },
      "seed \(seed): a ghost is left in \(observed.datastore)"
    )
    // Kept: the unlisted members, but for those listed under a misspelt name.
    let listed = Set(topology.nodes.map(\.name))
    let declared = Set(topology.nodes.compactMap(\.address))
    let unlisted = observed.nodes.filter { node in
      !listed.contains(node.name) && !(node.internalIP.map(declared.contains) ?? false)
    }
    #expect(kept == unlisted.map(\.name).sorted(), "seed \(seed): kept \(kept)")
    for spec in topology.nodes {
      if spec.state == .present {
        #expect(
          members[spec.name]?.role == spec.role,
          "seed \(seed): \(spec.name) not a \(spec.role)"
        )
        #expect(members[spec.name]?.ready == true, "seed \(seed): \(spec.name) not Ready")
        if spec.role == .mixed, let address = spec.address {
          #expect(
            observed.datastore.contains { $0.address == address },
            "seed \(seed): \(spec.name) not in datastore"
          )
        }
      } else {
        #expect(members[spec.name] == nil, "seed \(seed): absent \(spec.name) still a member")
      }
    }
    if topology.policy.prune {
      let listed = Set(topology.nodes.map(\.name))
      #expect(
        observed.nodes.allSatisfy { listed.contains($0.name) },
        "seed \(seed): unlisted member left"
      )
    }
    let expected = DatastoreModel.targetRoles(controlPlaneCount: observed.datastore.count)
    let counts = DatastoreModel.roleCounts(observed.datastore)
    #expect(counts == expected, "seed \(seed): datastore roles \(counts), expected \(expected)")
  }

  /// The addresses of the members that answer: Ready and not unreachable.
  ///
  /// A ghost has no node, so it never counts.
  private func live(_ observed: ObservedCluster) -> Set<NodeAddress> {
    let unreachable = Set(observed.unreachable)
    return Set(
      observed.nodes.filter { $0.ready && !unreachable.contains($0.name) }
        .compactMap(\.internalIP)
    )
  }

  /// A datastore whose live voters were a majority keeps one: while a voter is being
  /// removed (the rest carry the change) and after the change, rebalanced.
  private func checkQuorum(
    _ change: Change,
    before: ObservedCluster,
    after: ObservedCluster,
    seed: UInt64
  ) {
    let liveBefore = live(before)
    let votersBefore = DatastoreModel.voters(in: before.datastore)
    guard DatastoreModel.hasQuorum(voters: votersBefore, live: liveBefore) else { return }
    let what = "\(change.action.rawValue) \(change.node)"
    // Adding a control-plane node while a voter is down can take the datastore down
    // (microk8s-contract.md section 9).
    if change.action == .join, change.role == .mixed {
      #expect(
        votersBefore.allSatisfy { liveBefore.contains($0) },
        "seed \(seed): \(what) while a voter of \(votersBefore) is down"
      )
    }
    if change.action != .join, let address = change.address, votersBefore.contains(address) {
      let during = votersBefore.filter { $0 != address }
      #expect(
        during.isEmpty || DatastoreModel.hasQuorum(voters: during, live: liveBefore),
        "seed \(seed): \(what) leaves voters \(during) without a live majority while it runs"
      )
    }
    let votersAfter = DatastoreModel.voters(in: after.datastore)
    #expect(
      votersAfter.isEmpty || DatastoreModel.hasQuorum(voters: votersAfter, live: live(after)),
      "seed \(seed): after \(what), voters \(votersAfter) have no live majority"
    )
  }

  private func checkChange(
    _ change: Change,
    topology: Topology,
    observed: ObservedCluster,
    seed: UInt64
  ) {
    let hosts = Set(change.steps.map(\.host))
    let nodeSteps = change.steps.filter { $0.verb == .join || $0.verb == .leave }
    #expect(nodeSteps.allSatisfy { $0.host == change.node }, "seed \(seed): \(change)")
    #expect(hosts.count <= 2, "seed \(seed): one node and one contact at most")
    if change.action == .remove {
      let spec = topology.nodes.first { $0.name == change.node }
      let allowed = spec?.state == .absent || (spec == nil && topology.policy.prune)
      #expect(allowed, "seed \(seed): removed \(change.node) without state: absent or prune")
      // A member at an address the file lists under another name is never pruned.
      if spec == nil, let address = change.address {
        #expect(
          !topology.nodes.contains { $0.address == address },
          "seed \(seed): pruned \(change.node), whose address the file lists"
        )
      }
    }
    if change.action == .join || change.action == .changeRole {
      #expect(
        topology.nodes.contains { $0.name == change.node && $0.state == .present },
        "seed \(seed): joined an unlisted or absent node"
      )
    }
  }

  @Test("the order of the observed lists does not change the plan", arguments: 0..<4)
  func orderIndependent(batch: UInt64) {
    for seed in (batch * 250)..<((batch + 1) * 250) {
      let (topology, observed) = Self.world(seed: seed)
      var shuffled = observed
      var random = SplitMix64(seed: seed ^ 0xABCD)
      shuffled.nodes.shuffle(using: &random)
      shuffled.probes.shuffle(using: &random)
      shuffled.unreachable.shuffle(using: &random)
      #expect(
        PlanRenderer.json(Self.plan(topology, observed))
          == PlanRenderer.json(Self.plan(topology, shuffled)),
        "seed \(seed)"
      )
    }
  }
}
