import MembershipCore

/// A compact way to state a planning scenario: the file's nodes and the cluster's state.
struct PlannerScenario {
  static let track = Track(major: 1, minor: 28)

  var topology: Topology
  var observed = ObservedCluster()

  /// A scenario of nodes written as `name@address:role[:absent]`.
  ///
  /// For example `"node1@10.0.0.1:mixed"`.
  init(_ nodes: [String], policy: Policy = Policy()) {
    topology = Topology(
      cluster: ClusterSpec(name: "homelab", version: Self.track),
      policy: policy,
      nodes: nodes.map { text in
        let parts = text.split(separator: ":").map(String.init)
        let identity = parts[0].split(separator: "@").map(String.init)
        return NodeSpec(
          name: identity[0],
          address: identity.count > 1 ? NodeAddress.parse(identity[1]) : nil,
          role: parts.count > 1 ? Role(rawValue: parts[1]) ?? .mixed : .mixed,
          version: Self.track,
          state: parts.count > 2 && parts[2] == "absent" ? .absent : .present
        )
      }
    )
  }

  static func ip(_ text: String) -> NodeAddress { NodeAddress.parse(text) ?? .ipv4(0) }

  /// A member: a Ready Kubernetes node, plus a datastore entry for mixed ones.
  mutating func member(
    _ name: String,
    _ address: String,
    _ role: Role = .mixed,
    datastore: DatastoreRole? = nil,
    ready: Bool = true
  ) {
    observed.nodes.append(
      ObservedNode(
        name: name,
        internalIP: Self.ip(address),
        role: role,
        ready: ready,
        kubeletVersion: "v1.28.3"
      )
    )
    if let datastore {
      observed.datastore.append(DatastoreMember(address: Self.ip(address), role: datastore))
    }
    if observed.contact == nil, role == .mixed, ready { observed.contact = name }
  }

  mutating func probe(_ name: String, _ finding: NodeProbe.Finding) {
    observed.probes.append(NodeProbe(name: name, finding: finding))
  }

  /// Standalone hosts whose MicroK8s registered them under their names.
  mutating func standalone(_ names: String...) {
    for name in names {
      observed.probes.append(
        NodeProbe(name: name, finding: .standalone(track: Self.track), hostname: name)
      )
    }
  }

  func plan(_ options: Planner.Options = Planner.Options()) -> Plan {
    Planner.plan(desired: topology, observed: observed, fingerprint: "f", options: options)
  }
}

extension Plan {
  /// The changes as `action node` lines, in order: what a scenario table compares.
  var summaryLines: [String] { changes.map { "\($0.action.rawValue) \($0.node)" } }
  var blockedLines: [String] { blocked.map { "\($0.action.rawValue) \($0.node)" } }
}
