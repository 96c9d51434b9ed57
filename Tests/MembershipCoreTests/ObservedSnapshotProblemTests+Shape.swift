import MembershipCore
import Testing

/// Snapshots that are JSON but not shaped like a snapshot: wrong types, missing, unknown
/// and duplicate keys.
extension ObservedSnapshotProblemTests {
  static let shape: [SnapshotCase] = [
    SnapshotCase(
      rule: "top level not an object",
      json: "①[]",
      phrase: "the snapshot must be an object, found an array"
    ),
    SnapshotCase(
      rule: "unknown key with a suggestion",
      json: document(
        nodes: #"{"name": "node1", "internalIP": null, ①"internalIp": "10.0.0.1", "role": null, "#
          + #""ready": true, "kubeletVersion": "v1"}"#
      ),
      phrase: "unknown key 'internalIp' in 'nodes[0]'; did you mean 'internalIP'?"
    ),
    SnapshotCase(
      rule: "unknown top-level key lists the known ones",
      json: document(extra: ",\n  ①\"metadata\": {}"),
      phrase: "unknown key 'metadata' in the snapshot; expected one of 'formatVersion', 'contact'"
    ),
    SnapshotCase(
      rule: "missing key in a node",
      json: document(
        nodes: #"①{"name": "node1", "internalIP": null, "role": null, "kubeletVersion": "v1"}"#
      ),
      phrase: "'nodes[0]' is missing required key 'ready'"
    ),
    SnapshotCase(
      rule: "missing top-level keys",
      json: "①{\"formatVersion\": 1, \"contact\": null, \"nodes\": [], \"datastore\": []}",
      phrase: "the snapshot is missing required keys 'probes', 'unreachable'"
    ),
    SnapshotCase(
      rule: "duplicate key",
      json: document(
        nodes: #"{"name": "node1", ①"name": "node2", "internalIP": null, "role": null, "#
          + #""ready": true, "kubeletVersion": "v1"}"#
      ),
      phrase: "duplicate key 'name' in 'nodes[0]'"
    ),
    SnapshotCase(
      rule: "list is not an array",
      json: document().replacingOccurrences(of: "\"probes\": []", with: "\"probes\": ①{}"),
      phrase: "'probes' must be an array, found an object"
    ),
    SnapshotCase(
      rule: "node is not an object",
      json: document(nodes: "①\"node1\""),
      phrase: "'nodes[0]' must be an object, found the string 'node1'"
    ),
    SnapshotCase(
      rule: "ready is a string",
      json: document(nodes: node1.replacingOccurrences(of: "true", with: "①\"yes\"")),
      phrase: "'nodes[0].ready' must be true or false, found the string 'yes'"
    ),
    SnapshotCase(
      rule: "name is a number",
      json: document(nodes: node1.replacingOccurrences(of: "\"node1\"", with: "①42")),
      phrase: "'nodes[0].name' must be a string, found the number 42"
    ),
    SnapshotCase(
      rule: "contact is a boolean",
      json: document(contact: "①true"),
      phrase: "'contact' must be a string, found true"
    ),
    SnapshotCase(
      rule: "kubelet version is null",
      json: document(nodes: node1.replacingOccurrences(of: "\"v1.28.3\"", with: "①null")),
      phrase: "'nodes[0].kubeletVersion' must be a string, found null"
    ),
  ]
}
