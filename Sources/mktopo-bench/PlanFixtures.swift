import MembershipCore

/// A generated topology and the observed cluster to plan it against.
///
/// Node `i` is `node-i` at `10.a.b.c` (the low 24 bits of `i`); one node in ten is
/// mixed (every tenth, from `node-0`, the contact), the rest are workers.
struct PlanFixture {
  /// What the cluster looks like against the file.
  enum Scenario: String, CaseIterable {
    /// Every listed node is a member already: the plan has no changes.
    case converged
    /// Half the listed nodes change, per block of 20 nodes (`i % 20`):
    /// 10...18 are standalone and join (one mixed, eight workers); 19 is a worker
    /// member marked `state: absent`, except that every 200 nodes one of those stays
    /// (`i % 200 == 39`) and one runs as a control-plane member the file wants as a
    /// worker (`i % 200 == 59`, a role change); and `i % 200 == 20`, a mixed member
    /// (from `node-20`, a voter), is marked absent. At 10,000 nodes: 4,500 joins,
    /// 50 role changes and 450 removals, 5,000 changes in all.
    case changes
  }

  /// The loader refuses files over 4 MiB, which holds about 40,000 of these nodes, so
  /// a larger topology is written as several files of at most this many nodes.
  static let nodesPerFile = 10_000

  let scenario: Scenario
  let nodeCount: Int
  /// The topology, as the files an operator would write.
  let files: [[UInt8]]
  let observed: ObservedCluster

  init(_ scenario: Scenario, nodes: Int) {
    self.scenario = scenario
    nodeCount = nodes
    files = stride(from: 0, to: nodes, by: Self.nodesPerFile).map { start in
      Self.topologyFile(scenario, nodes: start..<min(nodes, start + Self.nodesPerFile))
    }
    observed = Self.observedCluster(scenario, nodes: nodes)
  }

  /// The changes a correct plan makes, by action.
  var expectedChanges: [Change.Action: Int] {
    guard scenario == .changes else { return [:] }
    var counts: [Change.Action: Int] = [:]
    for index in 0..<nodeCount {
      switch Self.kind(of: index, scenario) {
      case .joins: counts[.join, default: 0] += 1
      case .changesRole: counts[.changeRole, default: 0] += 1
      case .absentMember: counts[.remove, default: 0] += 1
      case .member: break
      }
    }
    return counts
  }

  /// Loads every file and joins their nodes into one topology; nil if one fails.
  func load() -> Topology? {
    var merged: Topology?
    for (index, bytes) in files.enumerated() {
      guard let topology = TopologyLoader.load(bytes, file: "bench-\(index).yaml").topology
      else { return nil }
      if merged == nil {
        merged = topology
      } else {
        merged?.nodes += topology.nodes
      }
    }
    return merged
  }

  private enum Kind {
    case member
    case joins
    case changesRole
    case absentMember
  }

  private static func isMixed(_ index: Int) -> Bool { index % 10 == 0 }

  private static func kind(of index: Int, _ scenario: Scenario) -> Kind {
    guard scenario == .changes else { return .member }
    switch (index % 20, index % 200) {
    case (_, 20): return .absentMember
    case (_, 39): return .member
    case (_, 59): return .changesRole
    case (10...18, _): return .joins
    case (19, _): return .absentMember
    default: return .member
    }
  }

  private static func address(_ index: Int) -> String {
    "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)"
  }

  private static func topologyFile(_ scenario: Scenario, nodes: Range<Int>) -> [UInt8] {
    var text = topologyHeader(maxRemovals: 1_000_000)
    for index in nodes {
      text += "  - name: node-\(index)\n"
      text += "    address: \(address(index))\n"
      text += "    role: \(isMixed(index) ? "mixed" : "worker")\n"
      if kind(of: index, scenario) == .absentMember { text += "    state: absent\n" }
      if index % 7 == 0 { text += "    connection: { user: admin, port: 2222 }\n" }
    }
    return Array(text.utf8)
  }

  private static func observedCluster(_ scenario: Scenario, nodes: Int) -> ObservedCluster {
    let track = Track(major: 1, minor: 28)
    var observed = ObservedCluster(contact: "node-0")
    // Settled roles, in node order: 3 voters, 3 standbys, then spares.
    var controlPlane = 0
    for index in 0..<nodes {
      let name = "node-\(index)"
      let kind = kind(of: index, scenario)
      guard kind != .joins else {
        observed.probes.append(NodeProbe(name: name, finding: .standalone(track: track)))
        continue
      }
      let mixed = isMixed(index) || kind == .changesRole
      let address = NodeAddress.parse(address(index))
      observed.nodes.append(
        ObservedNode(
          name: name,
          internalIP: address,
          role: mixed ? .mixed : .worker,
          ready: true,
          kubeletVersion: "v1.28.3"
        )
      )
      if mixed, let address {
        let role: DatastoreRole =
          controlPlane < 3 ? .voter : controlPlane < 6 ? .standby : .spare
        observed.datastore.append(DatastoreMember(address: address, role: role))
        controlPlane += 1
      }
    }
    return observed
  }
}
