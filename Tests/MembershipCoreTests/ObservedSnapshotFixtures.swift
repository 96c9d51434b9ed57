import MembershipCore
import Testing

// Fixtures shared by the ObservedSnapshot tests.

extension ObservedCluster {
  /// A three-node HA cluster with a worker, a ghost, probes of every kind and an
  /// unreachable node: every kind of fact the snapshot holds.
  static let everyKindOfFact = ObservedCluster(
    contact: "node1",
    nodes: [
      ObservedNode(
        name: "node1",
        internalIP: NodeAddress.parse("192.168.1.10"),
        role: .mixed,
        ready: true,
        kubeletVersion: "v1.28.3"
      ),
      ObservedNode(
        name: "node2",
        internalIP: NodeAddress.parse("192.168.1.11"),
        role: .mixed,
        ready: true,
        kubeletVersion: "v1.28.3"
      ),
      ObservedNode(
        name: "node3",
        internalIP: NodeAddress.parse("192.168.1.12"),
        role: .mixed,
        ready: false,
        kubeletVersion: "v1.28.3"
      ),
      ObservedNode(
        name: "worker1",
        internalIP: NodeAddress.parse("192.168.1.20"),
        role: .worker,
        ready: true,
        kubeletVersion: "v1.28.3"
      ),
      ObservedNode(name: "bare", internalIP: nil, role: nil, ready: false, kubeletVersion: ""),
    ],
    datastore: [
      DatastoreMember(address: .ipv4(0xC0A8_010A), role: .voter),
      DatastoreMember(address: .ipv4(0xC0A8_010B), role: .voter),
      DatastoreMember(address: .ipv4(0xC0A8_010C), role: .voter),
      DatastoreMember(address: .ipv4(0xC0A8_0109), role: .spare),
      DatastoreMember(address: .ipv6(0xFD00_0000_0000_0000, 0x10), port: 19002, role: .standby),
    ],
    probes: [
      NodeProbe(
        name: "node4",
        finding: .standalone(track: Track(major: 1, minor: 28)),
        hostname: "node4",
        identity: "0b8e4b6c-3f5e-4c1a-9d2e-7a6b5c4d3e2f"
      ),
      NodeProbe(
        name: "node5",
        finding: .memberOfAnotherCluster,
        identity: "9f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8"
      ),
      NodeProbe(name: "node6", finding: .microK8sMissing),
      NodeProbe(name: "node7", finding: .unreachable),
      // A member that is not Ready is probed too.
      NodeProbe(name: "node3", finding: .unreachable),
    ],
    unreachable: ["node7", "node3"],
    identity: "5c3a8f2e-1b7d-4e6a-9f0c-2d8b7e4a1c36"
  )

  /// The cluster with every list shuffled.
  func shuffled(seed: UInt64) -> ObservedCluster {
    var random = SplitMix64(seed: seed)
    var copy = self
    copy.nodes.shuffle(using: &random)
    copy.datastore.shuffle(using: &random)
    copy.probes.shuffle(using: &random)
    copy.unreachable.shuffle(using: &random)
    return copy
  }
}

extension ObservedSnapshot {
  /// Decodes snapshot text as the file `s.json`.
  static func decode(_ text: String) -> ObservedSnapshotLoad {
    decode(Array(text.utf8), file: "s.json")
  }
}
