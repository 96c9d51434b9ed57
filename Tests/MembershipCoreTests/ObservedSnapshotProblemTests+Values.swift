import MembershipCore
import Testing

/// Snapshots with a value out of its range: versions, addresses, ports, roles, findings,
/// tracks and names.
extension ObservedSnapshotProblemTests {
  static let values: [SnapshotCase] = [
    SnapshotCase(
      rule: "format version 2",
      json: document(version: "①2"),
      phrase:
        "'formatVersion' must be 1, found the number 2; this mktopo reads only format version 1"
    ),
    SnapshotCase(
      rule: "format version as a string",
      json: document(version: "①\"1\""),
      phrase: "'formatVersion' must be 1, found the string '1'"
    ),
    SnapshotCase(
      rule: "format version 1.0",
      json: document(version: "①1.0"),
      phrase: "'formatVersion' must be 1, found the number 1.0"
    ),
    SnapshotCase(
      rule: "octet out of range",
      json: document(
        nodes: node1.replacingOccurrences(of: "\"10.0.0.1\"", with: "①\"10.0.0.300\"")
      ),
      phrase: "invalid address '10.0.0.300' in 'nodes[0].internalIP'"
    ),
    SnapshotCase(
      rule: "hostname instead of an address",
      json: document(nodes: node1.replacingOccurrences(of: "\"10.0.0.1\"", with: "①\"node1.lan\"")),
      phrase: "invalid address 'node1.lan' in 'nodes[0].internalIP'"
    ),
    SnapshotCase(
      rule: "unspecified address",
      json: document(nodes: node1.replacingOccurrences(of: "\"10.0.0.1\"", with: "①\"0.0.0.0\"")),
      phrase: "the unspecified address is no node's address"
    ),
    SnapshotCase(
      rule: "datastore address without a port",
      json: document(datastore: #"{"address": ①"10.0.0.1", "role": "voter"}"#),
      phrase: "invalid datastore address '10.0.0.1' in 'datastore[0].address'; expected IP:PORT"
    ),
    SnapshotCase(
      rule: "IPv6 datastore address without brackets",
      json: document(datastore: #"{"address": ①"fd00::1:19001", "role": "voter"}"#),
      phrase: "write an IPv6 address in brackets, as in [fd00::1]:19001"
    ),
    SnapshotCase(
      rule: "IPv4 datastore address in brackets",
      json: document(datastore: #"{"address": ①"[10.0.0.1]:19001", "role": "voter"}"#),
      phrase: "brackets are only for IPv6 addresses"
    ),
    SnapshotCase(
      rule: "bad IPv6 in brackets",
      json: document(datastore: #"{"address": ①"[fd00::zz]:19001", "role": "voter"}"#),
      phrase: "invalid address 'fd00::zz' in 'datastore[0].address'"
    ),
    SnapshotCase(
      rule: "port 0",
      json: document(datastore: #"{"address": ①"10.0.0.1:0", "role": "voter"}"#),
      phrase: "invalid port '0' in 'datastore[0].address'; expected a number from 1 to 65535"
    ),
    SnapshotCase(
      rule: "port with a leading zero",
      json: document(datastore: #"{"address": ①"10.0.0.1:019001", "role": "voter"}"#),
      phrase: "invalid port '019001'"
    ),
    SnapshotCase(
      rule: "port over 65535",
      json: document(datastore: #"{"address": ①"10.0.0.1:65536", "role": "voter"}"#),
      phrase: "invalid port '65536'"
    ),
    SnapshotCase(
      rule: "port not a number",
      json: document(datastore: #"{"address": ①"10.0.0.1:ssh", "role": "voter"}"#),
      phrase: "invalid port 'ssh'"
    ),
    SnapshotCase(
      rule: "node role",
      json: document(nodes: node1.replacingOccurrences(of: "\"mixed\"", with: "①\"master\"")),
      phrase: "'nodes[0].role' must be 'mixed', 'worker' or null, found 'master'"
    ),
    SnapshotCase(
      rule: "node role with a suggestion",
      json: document(nodes: node1.replacingOccurrences(of: "\"mixed\"", with: "①\"Mixed\"")),
      phrase: "found 'Mixed'; did you mean 'mixed'?"
    ),
    SnapshotCase(
      rule: "datastore role",
      json: document(datastore: #"{"address": "10.0.0.1:19001", "role": ①"leader"}"#),
      phrase: "'datastore[0].role' must be 'voter', 'standby' or 'spare', found 'leader'"
    ),
    SnapshotCase(
      rule: "datastore role null",
      json: document(datastore: #"{"address": "10.0.0.1:19001", "role": ①null}"#),
      phrase: "'datastore[0].role' must be 'voter', 'standby' or 'spare', found null"
    ),
    SnapshotCase(
      rule: "probe finding",
      json: document(probes: #"{"name": "node4", "finding": ①"gone"}"#),
      phrase: "'probes[0].finding' must be 'standalone', 'member-of-another-cluster', "
        + "'microk8s-missing', 'low-memory-guard', 'not-permitted', 'not-ready' or "
        + "'unreachable', found 'gone'"
    ),
    SnapshotCase(
      rule: "probe finding with a suggestion",
      json: document(probes: #"{"name": "node4", "finding": ①"microk8s_missing"}"#),
      phrase: "did you mean 'microk8s-missing'?"
    ),
    SnapshotCase(
      rule: "track",
      json: document(probes: #"{"name": "node4", "finding": "standalone", "track": ①"1.28/lts"}"#),
      phrase: "invalid MicroK8s track '1.28/lts' in 'probes[0].track'"
    ),
    SnapshotCase(
      rule: "track as a number",
      json: document(probes: #"{"name": "node4", "finding": "standalone", "track": ①1.28}"#),
      phrase: "'probes[0].track' must be a string, found the number 1.28"
    ),
    SnapshotCase(
      rule: "standalone without a track",
      json: document(probes: #"①{"name": "node4", "finding": "standalone"}"#),
      phrase: "'probes[0]' is missing key 'track', required with finding 'standalone'"
    ),
    SnapshotCase(
      rule: "track with another finding",
      json: document(probes: #"{"name": "node4", "finding": "unreachable", ①"track": "1.28"}"#),
      phrase: "'probes[0].track' is only allowed with finding 'standalone' or "
        + "'low-memory-guard', not 'unreachable'"
    ),
    SnapshotCase(
      rule: "uppercase node name",
      json: document(unreachable: "①\"Node3\""),
      phrase: "invalid node name 'Node3' in 'unreachable[0]': it must be lowercase; did you mean "
        + "'node3'?"
    ),
    SnapshotCase(
      rule: "node name with an empty part",
      json: document(nodes: node1.replacingOccurrences(of: "\"node1\"", with: "①\"a..b\"")),
      phrase: "invalid node name 'a..b' in 'nodes[0].name': the part '' between dots is invalid"
    ),
    SnapshotCase(
      rule: "node name with a control character",
      json: document(probes: #"{"name": ①"node\n4", "finding": "unreachable"}"#),
      phrase: "invalid node name 'node\\n4' in 'probes[0].name'"
    ),
    SnapshotCase(
      rule: "cluster name",
      json: document(extra: ",\n  \"cluster\": ①\"Home Lab\""),
      phrase: "invalid cluster name 'Home Lab'"
    ),
  ]
}
