import MembershipCore
import Testing

/// Snapshots whose facts contradict each other: duplicates, a contact that is no node, a
/// probe of the contact.
extension ObservedSnapshotProblemTests {
  static let consistency: [SnapshotCase] = [
    SnapshotCase(
      rule: "duplicate node name",
      json: document(
        nodes: node1 + ",\n    ①" + node1.replacingOccurrences(of: ".1\"", with: ".2\"")
      ),
      phrase: "duplicate node 'node1'"
    ),
    SnapshotCase(
      rule: "duplicate datastore address, however the IPv6 address is spelt",
      json: document(
        datastore: #"{"address": "[fd00::1]:19001", "role": "voter"}, "#
          + #"①{"address": "[FD00:0:0::1]:19001", "role": "spare"}"#
      ),
      phrase: "duplicate datastore member '[fd00::1]:19001'"
    ),
    SnapshotCase(
      rule: "duplicate probe",
      json: document(
        probes: #"{"name": "node4", "finding": "unreachable"}, "#
          + #"①{"name": "node4", "finding": "microk8s-missing"}"#
      ),
      phrase: "duplicate probe of 'node4'"
    ),
    SnapshotCase(
      rule: "duplicate unreachable name",
      json: document(unreachable: "\"node4\", ①\"node4\""),
      phrase: "duplicate unreachable node 'node4'"
    ),
    SnapshotCase(
      rule: "contact that is not a node",
      json: document(contact: "①\"node9\""),
      phrase: "the contact 'node9' is not one of 'nodes'"
    ),
    SnapshotCase(
      rule: "contact without any nodes",
      json: document(contact: "①\"node1\"", nodes: "", datastore: ""),
      phrase: "the contact 'node1' is not one of 'nodes'"
    ),
    SnapshotCase(
      rule: "contact listed as unreachable",
      json: document(contact: "①\"node1\"", unreachable: "\"node1\""),
      phrase: "the contact 'node1' is also listed as unreachable"
    ),
    SnapshotCase(
      rule: "probe of the contact",
      json: document(probes: #"①{"name": "node1", "finding": "unreachable"}"#),
      phrase: "'node1' is probed but is the contact"
    ),
    SnapshotCase(
      rule: "unreachable, but the probe answered",
      json: document(
        probes: #"{"name": "node4", "finding": "microk8s-missing"}"#,
        unreachable: "①\"node4\""
      ),
      phrase: "'node4' is listed as unreachable, but its probe answered"
    ),
  ]
}
