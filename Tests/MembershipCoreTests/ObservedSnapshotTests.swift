import Foundation
import MembershipCore
import Testing

// MARK: - Helpers

private let node1 =
  #"{"name": "node1", "internalIP": "10.0.0.1", "role": "mixed", "ready": true, "#
  + #""kubeletVersion": "v1.28.3"}"#

/// A snapshot document with each part given as raw JSON, so markers can go anywhere.
private func document(
  version: String = "1",
  contact: String = #""node1""#,
  nodes: String = node1,
  datastore: String = #"{"address": "10.0.0.1:19001", "role": "voter"}"#,
  probes: String = "",
  unreachable: String = "",
  extra: String = ""
) -> String {
  """
  {
    "formatVersion": \(version),
    "contact": \(contact),
    "nodes": [\(nodes)],
    "datastore": [\(datastore)],
    "probes": [\(probes)],
    "unreachable": [\(unreachable)]\(extra)
  }

  """
}

private func decode(_ text: String, file: String = "s.json") -> ObservedSnapshotLoad {
  ObservedSnapshot.decode(Array(text.utf8), file: file)
}

/// A three-node HA cluster with a worker, a ghost, probes of every kind and an
/// unreachable node: every kind of fact the snapshot holds.
private let sample = ObservedCluster(
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
    NodeProbe(name: "node4", finding: .standalone(track: Track(major: 1, minor: 28))),
    NodeProbe(name: "node5", finding: .memberOfAnotherCluster),
    NodeProbe(name: "node6", finding: .microK8sMissing),
    NodeProbe(name: "node7", finding: .unreachable),
  ],
  unreachable: ["node7", "node3"]
)

/// The cluster with every list shuffled.
private func shuffled(_ cluster: ObservedCluster, seed: UInt64) -> ObservedCluster {
  var random = SplitMix64(seed: seed)
  var copy = cluster
  copy.nodes.shuffle(using: &random)
  copy.datastore.shuffle(using: &random)
  copy.probes.shuffle(using: &random)
  copy.unreachable.shuffle(using: &random)
  return copy
}

private enum Paths {
  /// Three levels up from Tests/MembershipCoreTests/ObservedSnapshotTests.swift.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func files(in directory: String) -> [String] {
    let names = try? FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent(directory).path
    )
    return (names ?? []).filter { $0.hasSuffix(".json") }.sorted().map { directory + "/" + $0 }
  }

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
  }
}

// MARK: - SHA-256

@Suite("SHA-256")
struct SHA256Tests {
  @Test(
    "standard test vectors and block boundaries",
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
      ),
      (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
          + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
      ),
      // Padding fits (55), just does not (56), and whole blocks (63, 64, 65).
      (
        String(repeating: "a", count: 55),
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
      ),
      (
        String(repeating: "a", count: 56),
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
      ),
      (
        String(repeating: "a", count: 63),
        "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"
      ),
      (
        String(repeating: "a", count: 64),
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
      ),
      (
        String(repeating: "a", count: 65),
        "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"
      ),
    ]
  )
  func vector(message: String, digest: String) {
    #expect(SHA256.hex(SHA256.hash(Array(message.utf8))) == digest)
  }

  @Test("one million 'a'")
  func millionA() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(
      SHA256.hex(SHA256.hash(message))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    )
  }
}

// MARK: - Encoding, round trips and fingerprints

@Suite("Observed snapshot: encoding and fingerprint")
struct ObservedSnapshotEncodingTests {
  @Test("encode then decode gives the same facts, in canonical order")
  func roundTrip() throws {
    let text = ObservedSnapshot.encode(sample, cluster: "homelab")
    let load = decode(text)
    #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
    let observed = try #require(load.observed)
    #expect(observed == sample.canonicallyOrdered())
    #expect(load.cluster == "homelab")
    #expect(ObservedSnapshot.encode(observed, cluster: "homelab") == text)
  }

  @Test("the canonical encoding: key order, sorted lists, one entry per line, final newline")
  func canonicalText() throws {
    // The fixture is the golden file: it shows the format as `mktopo observe` writes it.
    let golden = try Paths.bytes("Tests/Fixtures/observed/valid/every-kind-of-fact.json")
    #expect(ObservedSnapshot.encode(sample) == String(decoding: golden, as: UTF8.self))
  }

  @Test("an empty observation encodes with empty lists and a null contact")
  func emptyObservation() {
    let text = ObservedSnapshot.encode(ObservedCluster())
    #expect(
      text == """
        {
          "formatVersion": 1,
          "contact": null,
          "nodes": [],
          "datastore": [],
          "probes": [],
          "unreachable": []
        }

        """
    )
    #expect(decode(text).observed == ObservedCluster())
  }

  @Test("the order facts were gathered in changes neither the encoding nor the fingerprint")
  func orderIndependence() {
    let expected = ObservedSnapshot.encode(sample)
    for seed in UInt64(1)...200 {
      let reordered = shuffled(sample, seed: seed)
      #expect(ObservedSnapshot.encode(reordered) == expected, "seed \(seed)")
      #expect(reordered.fingerprint == sample.fingerprint, "seed \(seed)")
    }
  }

  @Test("entries with equal keys still have one order")
  func equalKeysTieBreak() {
    // Only the decoder refuses duplicates; an in-memory value may still have them.
    var cluster = ObservedCluster()
    cluster.nodes = [
      ObservedNode(name: "a", internalIP: nil, role: .worker, ready: true, kubeletVersion: "v2"),
      ObservedNode(name: "a", internalIP: nil, role: .mixed, ready: false, kubeletVersion: "v1"),
    ]
    cluster.datastore = [
      DatastoreMember(address: .ipv4(1), role: .voter),
      DatastoreMember(address: .ipv4(1), role: .spare),
    ]
    var reversed = cluster
    reversed.nodes.reverse()
    reversed.datastore.reverse()
    #expect(ObservedSnapshot.encode(cluster) == ObservedSnapshot.encode(reversed))
  }

  @Test("the fingerprint is 64 lowercase hex digits and pinned for a known cluster")
  func fingerprintForm() throws {
    let fingerprint = sample.fingerprint
    #expect(fingerprint.utf8.count == 64)
    #expect(fingerprint.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) })
    #expect(
      fingerprint
        == SHA256.hex(SHA256.hash(Array(ObservedSnapshot.encode(sample).utf8)))
    )
    // Pinned: a change to the canonical encoding invalidates every saved plan, so it
    // must be deliberate (and come with a new formatVersion).
    let fixture = try Paths.bytes("Tests/Fixtures/observed/valid/ha-three-nodes-with-worker.json")
    let observed = try #require(ObservedSnapshot.decode(fixture, file: "f").observed)
    #expect(
      observed.fingerprint == "0fba3a3fab250579b6613ce6ccf5c1f6ee96d3277ade1cfd9729fc506c9b15b4"
    )
  }

  @Test("the cluster name is not an observed fact and leaves the fingerprint alone")
  func clusterNameNotFingerprinted() throws {
    let named = try #require(decode(ObservedSnapshot.encode(sample, cluster: "homelab")).observed)
    #expect(named.fingerprint == sample.fingerprint)
  }

  @Test("every observed fact changes the fingerprint")
  func everyFactCounts() {
    var variants: [(String, ObservedCluster)] = []
    func variant(_ name: String, _ change: (inout ObservedCluster) -> Void) {
      var copy = sample
      change(&copy)
      variants.append((name, copy))
    }
    variant("contact") { $0.contact = "node2" }
    variant("no contact") { $0.contact = nil }
    variant("node name") { $0.nodes[1].name = "node9" }
    variant("node role") { $0.nodes[1].role = .worker }
    variant("node role to null") { $0.nodes[1].role = nil }
    variant("node ready") { $0.nodes[1].ready = false }
    variant("node address") { $0.nodes[1].internalIP = NodeAddress.parse("192.168.1.99") }
    variant("node address to null") { $0.nodes[1].internalIP = nil }
    variant("kubelet version") { $0.nodes[1].kubeletVersion = "v1.28.4" }
    variant("node removed") { $0.nodes.remove(at: 1) }
    variant("datastore role") { $0.datastore[0].role = .standby }
    variant("datastore address") { $0.datastore[0].address = .ipv4(0xC0A8_0163) }
    variant("datastore port") { $0.datastore[0].port = 19002 }
    variant("datastore member removed") { $0.datastore.remove(at: 3) }
    variant("probe finding") { $0.probes[1].finding = .unreachable }
    variant("probe track") { $0.probes[0].finding = .standalone(track: Track(major: 1, minor: 29)) }
    variant("probe track risk") {
      $0.probes[0].finding = .standalone(track: Track(major: 1, minor: 28, risk: .stable))
    }
    variant("probe removed") { $0.probes.remove(at: 2) }
    variant("unreachable added") { $0.unreachable.append("node2") }
    variant("unreachable removed") { $0.unreachable.removeFirst() }
    var seen = [sample.fingerprint: "the sample"]
    for (name, cluster) in variants {
      let fingerprint = cluster.fingerprint
      #expect(seen[fingerprint] == nil, "\(name) has the fingerprint of \(seen[fingerprint] ?? "")")
      seen[fingerprint] = name
    }
  }

  @Test("a 5,000-node snapshot round-trips")
  func largeRoundTrip() throws {
    var cluster = ObservedCluster(contact: "n0")
    for index in 0..<5000 {
      let address = NodeAddress.ipv4(0x0A00_0000 + UInt32(index))
      cluster.nodes.append(
        ObservedNode(
          name: "n\(index)",
          internalIP: address,
          role: index < 5 ? .mixed : .worker,
          ready: true,
          kubeletVersion: "v1.28.3"
        )
      )
      if index < 5 { cluster.datastore.append(DatastoreMember(address: address, role: .voter)) }
    }
    let text = ObservedSnapshot.encode(cluster)
    let observed = try #require(decode(text).observed)
    #expect(observed == cluster.canonicallyOrdered())
    #expect(observed.fingerprint == shuffled(cluster, seed: 7).fingerprint)
  }
}

// MARK: - Problems, each at its position

/// One rule of the decoder: a snapshot that breaks it, and what it reports at ①.
struct SnapshotCase: CustomTestStringConvertible, Sendable {
  var rule: String
  var json: String
  var phrase: String

  var testDescription: String { rule }
}

@Suite("Observed snapshot: problems at their positions")
struct ObservedSnapshotProblemTests {
  static let syntax: [SnapshotCase] = [
    SnapshotCase(rule: "empty file", json: "①", phrase: "the file is empty"),
    SnapshotCase(rule: "whitespace only", json: "①  \n ", phrase: "the file is empty"),
    SnapshotCase(
      rule: "trailing comma in an array",
      json: document(nodes: node1 + "①, "),
      phrase: "invalid JSON: a trailing comma before ']' is not allowed"
    ),
    SnapshotCase(
      rule: "trailing comma in an object",
      json: "{\"formatVersion\": 1①,\n}",
      phrase: "a trailing comma before '}' is not allowed"
    ),
    SnapshotCase(
      rule: "single-quoted string",
      json: document(contact: "①'node1'"),
      phrase: "JSON strings are written in double quotes, found '''"
    ),
    SnapshotCase(
      rule: "leading zero",
      json: document(version: "①01"),
      phrase: "numbers must not have leading zeros"
    ),
    SnapshotCase(
      rule: "string not closed on its line",
      json: document(contact: "①\"node1,"),
      phrase: "this string is not closed before the line ends"
    ),
    SnapshotCase(
      rule: "string not closed at the end of the file",
      json: "{\"contact\": ①\"node1",
      phrase: "this string is never closed"
    ),
    SnapshotCase(
      rule: "unknown escape",
      json: document(contact: "\"no①\\qde1\""),
      phrase: "invalid escape '\\q'"
    ),
    SnapshotCase(
      rule: "short \\u escape",
      json: document(contact: "\"no①\\u12\""),
      phrase: "a \\u escape needs four hex digits"
    ),
    SnapshotCase(
      rule: "lone high surrogate",
      json: document(contact: "\"no①\\ud800de1\""),
      phrase: "a high surrogate escape has no low surrogate"
    ),
    SnapshotCase(
      rule: "lone low surrogate",
      json: document(contact: "\"no①\\udc00de1\""),
      phrase: "a low surrogate escape has no high surrogate"
    ),
    SnapshotCase(
      rule: "raw tab in a string",
      json: document(contact: "\"no①\tde1\""),
      phrase: "a control character must be escaped in a string, found 'U+0009'"
    ),
    SnapshotCase(
      rule: "missing colon",
      json: "{\"formatVersion\" ①1}",
      phrase: "expected ':' after a key, found '1'"
    ),
    SnapshotCase(
      rule: "missing comma",
      json: "{\"formatVersion\": 1 ①\"contact\": null}",
      phrase: "expected ',' or '}' after an object member, found '\"'"
    ),
    SnapshotCase(
      rule: "unquoted key",
      json: "{①formatVersion: 1}",
      phrase: "expected a key in double quotes, found 'f'"
    ),
    SnapshotCase(
      rule: "capitalised literal",
      json: document(contact: "①Null"),
      phrase: "expected a value (object, array, string, number, true, false or null), found 'N'"
    ),
    SnapshotCase(
      rule: "truncated literal",
      json: document(contact: "①nul"),
      phrase: "expected a value"
    ),
    SnapshotCase(
      rule: "value missing at the end of the file",
      json: "{\"contact\": ①",
      phrase: "expected a value, found the end of the file"
    ),
    SnapshotCase(
      rule: "number without digits after the point",
      json: document(version: "1.①x"),
      phrase: "expected a digit after '.', found 'x'"
    ),
    SnapshotCase(
      rule: "content after the top-level value",
      json: "{}\n①{}",
      phrase: "expected the end of the file after the top-level value, found '{'"
    ),
    SnapshotCase(
      rule: "nesting too deep",
      json: String(repeating: "[", count: 64) + "①" + String(repeating: "[", count: 100_000),
      phrase: "values are nested more than 64 levels deep"
    ),
  ]

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
        + "'microk8s-missing' or 'unreachable', found 'gone'"
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
      phrase: "'probes[0].track' is only allowed with finding 'standalone', not 'unreachable'"
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
      rule: "probe of a member",
      json: document(probes: #"①{"name": "node1", "finding": "unreachable"}"#),
      phrase: "'node1' is probed but is a member"
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

  @Test("invalid JSON", arguments: syntax)
  func syntaxProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("wrong shape", arguments: shape)
  func shapeProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("bad values", arguments: values)
  func valueProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  @Test("inconsistent facts", arguments: consistency)
  func consistencyProblem(_ rule: SnapshotCase) { expectProblem(rule) }

  /// Exactly one error containing the phrase, at ①, in `s.json`, and no cluster.
  private func expectProblem(_ rule: SnapshotCase) {
    let marked = MarkedYAML(rule.json)
    let load = decode(marked.text)
    #expect(load.observed == nil, "a snapshot with errors must not decode")
    #expect(!load.isValid)
    let matches = load.diagnostics.filter {
      $0.severity == .error && $0.message.contains(rule.phrase)
    }
    #expect(
      matches.count == 1,
      "expected one error containing \"\(rule.phrase)\", got: \(load.diagnostics.map(\.description))"
    )
    if let match = matches.first {
      #expect(match.position == marked.position("①"), "\(match)")
      #expect(match.file == "s.json")
    }
  }

  @Test("a duplicate points back at the first one")
  func duplicateNote() throws {
    let marked = MarkedYAML(
      document(
        nodes: "①" + node1 + ",\n    ②" + node1.replacingOccurrences(of: ".1\"", with: ".2\"")
      )
    )
    let diagnostics = decode(marked.text).diagnostics
    try #require(diagnostics.count == 1, "\(diagnostics)")
    #expect(diagnostics[0].position == marked.position("②"))
    #expect(diagnostics[0].notes.map(\.position) == [marked.position("①")])
    #expect(diagnostics[0].notes.first?.message == "first listed here")
  }

  @Test("every problem is reported in one pass, in file order")
  func allProblemsAtOnce() {
    let marked = MarkedYAML(
      document(
        contact: "①\"node9\"",
        nodes: node1.replacingOccurrences(of: "\"mixed\"", with: "②\"boss\""),
        datastore: #"{"address": ③"10.0.0.1:0", "role": "voter"}"#,
        unreachable: "④\"Bad\""
      )
    )
    let diagnostics = decode(marked.text).diagnostics
    #expect(diagnostics.map(\.position) == ["②", "③", "④"].map { marked.position($0) })
    // node1 has a problem, so whether node9 is among the nodes is not asked.
    #expect(!diagnostics.contains { $0.message.contains("node9") })
  }

  @Test("an unknown format version is the only thing reported")
  func versionFirst() {
    let diagnostics = decode(document(version: "2", nodes: "\"nonsense\"")).diagnostics
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.message.contains("formatVersion") == true)
  }

  @Test("a file over 16 MiB is refused before parsing")
  func tooLarge() {
    var bytes = Array(document().utf8)
    bytes += [UInt8](repeating: 0x20, count: ObservedSnapshot.maxFileSize + 1 - bytes.count)
    let load = ObservedSnapshot.decode(bytes, file: "big.json")
    #expect(load.observed == nil)
    #expect(load.diagnostics.count == 1)
    #expect(load.diagnostics.first?.message.contains("larger than 16777216 bytes (16 MiB)") == true)
    #expect(load.diagnostics.first?.position == SourcePosition(line: 1, column: 1))
    // Exactly at the limit is read (and here is valid).
    bytes.removeLast()
    #expect(ObservedSnapshot.decode(bytes, file: "big.json").isValid)
  }

  @Test("invalid UTF-8 is reported at its byte")
  func invalidUTF8() {
    var bytes = Array("{\n  \"contact\": \"no".utf8)
    bytes.append(0xFF)
    let load = ObservedSnapshot.decode(bytes, file: "s.json")
    #expect(load.diagnostics.count == 1)
    #expect(load.diagnostics.first?.message.contains("not valid UTF-8 (byte 0xFF") == true)
    #expect(load.diagnostics.first?.position == SourcePosition(line: 2, column: 17))
  }

  @Test("columns count characters, not bytes")
  func columnsCountScalars() {
    let marked = MarkedYAML(document(contact: "\"né\", \"x\": ①1"))
    let diagnostics = decode(marked.text).diagnostics
    #expect(diagnostics.first { $0.message.contains("unknown key 'x'") } != nil)
    let invalid = diagnostics.first { $0.message.contains("invalid node name 'né'") }
    #expect(invalid?.position == SourcePosition(line: 3, column: 14))
  }

  @Test("a byte-order mark is skipped and not counted")
  func byteOrderMark() {
    let valid = [0xEF, 0xBB, 0xBF] + Array(document().utf8)
    #expect(ObservedSnapshot.decode(valid, file: "s.json").isValid)
    let invalid = [0xEF, 0xBB, 0xBF] + Array("[]".utf8)
    let position = ObservedSnapshot.decode(invalid, file: "s.json").diagnostics.first?.position
    #expect(position == SourcePosition(line: 1, column: 1))
  }

  @Test("escapes decode to the characters they stand for")
  func escapes() throws {
    let text = document(
      nodes: node1.replacingOccurrences(
        of: "\"v1.28.3\"",
        with: #""v\u0031\/\"\\\n\t\ud83d\ude00""#
      )
    )
    let observed = try #require(decode(text).observed)
    #expect(observed.nodes.first?.kubeletVersion == "v1/\"\\\n\t😀")
    // The canonical form escapes what it must and round-trips.
    #expect(decode(ObservedSnapshot.encode(observed)).observed == observed)
  }

  @Test("more than 1000 problems are summarised")
  func diagnosticCap() {
    let bad = node1.replacingOccurrences(of: "\"mixed\"", with: "\"boss\"")
    let nodes = (0..<1200).map { bad.replacingOccurrences(of: "node1", with: "n\($0)") }
    let diagnostics = decode(document(contact: "null", nodes: nodes.joined(separator: ",\n")))
      .diagnostics
    #expect(diagnostics.count == ObservedSnapshot.maxDiagnostics + 1)
    #expect(diagnostics.last?.message == "too many problems; 200 more not shown")
  }

  @Test("damaged snapshots never trap, and what decodes re-encodes stably")
  func damagedInput() throws {
    let original = Array(ObservedSnapshot.encode(sample, cluster: "homelab").utf8)
    var random = SplitMix64(seed: 42)
    let alphabet = Array(#"{}[],:" \abcnrtu0123456789.-e"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF]
    for iteration in 0..<3000 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes[index] = alphabet.randomElement(using: &random) ?? 0
        case 1: bytes.remove(at: index)
        case 2: bytes.insert(alphabet.randomElement(using: &random) ?? 0, at: index)
        default: bytes = Array(bytes[..<index])
        }
        if bytes.isEmpty { bytes = [0x20] }
      }
      let load = ObservedSnapshot.decode(bytes, file: "s.json")
      if let observed = load.observed {
        let again = ObservedSnapshot.decode(
          Array(ObservedSnapshot.encode(observed).utf8),
          file: "s.json"
        )
        #expect(again.observed == observed.canonicallyOrdered(), "iteration \(iteration)")
      } else {
        #expect(load.diagnostics.containsErrors, "iteration \(iteration)")
        #expect(
          load.diagnostics.allSatisfy { $0.position != nil || $0.message.hasPrefix("too many") },
          "iteration \(iteration)"
        )
      }
    }
  }
}

// MARK: - Fixtures and the schema

/// What decoding an invalid fixture reports: every error, in order.
private let invalidFixtureErrors:
  [String: (errors: [(line: Int, column: Int, phrase: String)], schema: Bool)] = [
    "trailing-comma.json": ([(5, 113, "a trailing comma before ']' is not allowed")], true),
    "unknown-key.json": (
      // Not also "missing 'internalIP'": the suggestion already says what to write.
      [(5, 23, "unknown key 'internalIp' in 'nodes[0]'; did you mean 'internalIP'?")],
      true
    ),
    "missing-key.json": (
      [
        (1, 1, "the snapshot is missing required key 'unreachable'"),
        (5, 5, "'nodes[0]' is missing required key 'ready'"),
      ],
      true
    ),
    "wrong-type.json": (
      [(5, 79, "'nodes[0].ready' must be true or false, found the string 'yes'")], true
    ),
    "bad-address.json": (
      [(5, 37, "invalid address '192.168.1.300' in 'nodes[0].internalIP'")], true
    ),
    "bad-port.json": ([(8, 17, "invalid port '70000' in 'datastore[0].address'")], true),
    "ipv6-without-brackets.json": ([(8, 17, "write an IPv6 address in brackets")], true),
    "bad-role.json": (
      [(5, 61, "'nodes[0].role' must be 'mixed', 'worker' or null, found 'master'")], true
    ),
    "bad-datastore-role.json": ([(8, 47, "found 'leader'")], true),
    "bad-finding.json": ([(7, 34, "'probes[0].finding' must be 'standalone'")], true),
    "bad-track.json": ([(7, 57, "invalid MicroK8s track '1.28/lts'")], true),
    "standalone-without-track.json": ([(7, 5, "is missing key 'track'")], true),
    "format-version-2.json": ([(2, 20, "'formatVersion' must be 1, found the number 2")], true),
    "not-an-object.json": ([(1, 1, "the snapshot must be an object, found an array")], true),
    "uppercase-node-name.json": ([(7, 19, "invalid node name 'Node3'")], true),
    // Python's json module has no duplicate-key check; the schema check adds one.
    "duplicate-key.json": ([(8, 3, "duplicate key 'nodes' in the snapshot")], true),
    // Beyond JSON Schema: uniqueness by one field, and references between lists.
    "duplicate-node.json": ([(6, 5, "duplicate node 'node1'")], false),
    "duplicate-datastore-address.json": (
      [(9, 5, "duplicate datastore member '192.168.1.10:19001'")], false
    ),
    "contact-not-a-node.json": ([(3, 14, "the contact 'node9' is not one of 'nodes'")], false),
  ]

/// Validates files against a schema with python3's jsonschema (Draft 2020-12, formats
/// checked, `$` meaning end of input as in ECMA-262, duplicate keys refused); prints
/// `valid FILE` or `invalid FILE: REASON` per file, exits 3 without jsonschema.
private let schemaCheck = #"""
  import json, re, sys
  try:
      from jsonschema import Draft202012Validator, FormatChecker, validators
      from jsonschema.exceptions import ValidationError, best_match
  except ImportError as exc:
      print(f"python3 cannot import jsonschema: {exc}", file=sys.stderr)
      sys.exit(3)
  schema = json.load(open(sys.argv[1], encoding="utf-8"))
  Draft202012Validator.check_schema(schema)
  def ecma_pattern(validator, pattern, instance, schema):
      python_pattern = re.sub(r"(?<!\\)\$", r"\\Z", pattern)
      if validator.is_type(instance, "string") and not re.search(python_pattern, instance):
          yield ValidationError(f"{instance!r} does not match {pattern!r}")
  Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern})
  validator = Validator(schema, format_checker=FormatChecker())
  def unique_keys(pairs):
      keys = [key for key, _ in pairs]
      for key in keys:
          if keys.count(key) > 1:
              raise ValueError(f"duplicate key {key!r}")
      return dict(pairs)
  for path in sys.argv[2:]:
      try:
          with open(path, encoding="utf-8") as handle:
              document = json.load(handle, object_pairs_hook=unique_keys)
      except ValueError as exc:
          print(f"invalid {path}: not JSON: {exc}")
          continue
      error = best_match(validator.iter_errors(document))
      print(f"valid {path}" if error is None else f"invalid {path}: {error.message}")
  """#

@Suite("Observed snapshot: fixtures and schema/observed.schema.json")
struct ObservedSnapshotFixtureTests {
  static let valid = Paths.files(in: "Tests/Fixtures/observed/valid")
  static let invalid = Paths.files(in: "Tests/Fixtures/observed/invalid")

  /// The schema's verdict per file; records an issue (a failure, not a skip) when
  /// python3 or its jsonschema module is missing.
  func schemaVerdicts(_ files: [String]) throws -> [String: String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", schemaCheck, "schema/observed.schema.json"] + files
    process.currentDirectoryURL = Paths.root
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(
      process.terminationStatus == 0,
      """
      the schema check (python3 with jsonschema) exited \(process.terminationStatus): \
      \(String(decoding: stderr, as: UTF8.self)); run `make setup`
      """
    )
    var verdicts: [String: String] = [:]
    for line in String(decoding: stdout, as: UTF8.self).split(separator: "\n") {
      if line.hasPrefix("valid ") {
        verdicts[String(line.dropFirst(6))] = "valid"
      } else if line.hasPrefix("invalid "), let colon = line.range(of: ": ") {
        verdicts[String(line[line.index(line.startIndex, offsetBy: 8)..<colon.lowerBound])] =
          String(line[colon.upperBound...])
      }
    }
    return verdicts
  }

  @Test("there are fixtures, and every invalid one has its expected errors listed")
  func fixturesPresent() {
    #expect(Self.valid.count >= 4)
    #expect(Self.invalid.count >= 8)
    let names = Set(Self.invalid.map { String($0.split(separator: "/").last ?? "") })
    #expect(names == Set(invalidFixtureErrors.keys))
  }

  @Test("every valid fixture decodes, is canonical, and is valid for the schema")
  func validFixtures() throws {
    let verdicts = try schemaVerdicts(Self.valid)
    for file in Self.valid {
      let bytes = try Paths.bytes(file)
      let load = ObservedSnapshot.decode(bytes, file: file)
      #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
      if let observed = load.observed {
        // Written the way `mktopo observe` writes them, so they double as golden files.
        #expect(
          ObservedSnapshot.encode(observed, cluster: load.cluster)
            == String(decoding: bytes, as: UTF8.self),
          "\(file) is not in canonical form"
        )
      }
      #expect(verdicts[file] == "valid", "schema: \(verdicts[file] ?? "no verdict") for \(file)")
    }
  }

  @Test("every invalid fixture is rejected with its errors, and by the schema where it can")
  func invalidFixtures() throws {
    let verdicts = try schemaVerdicts(Self.invalid)
    for file in Self.invalid {
      let name = String(file.split(separator: "/").last ?? "")
      guard let expected = invalidFixtureErrors[name] else { continue }
      let load = ObservedSnapshot.decode(try Paths.bytes(file), file: file)
      #expect(load.observed == nil, "\(file) decodes")
      let got = load.diagnostics.map { ($0.position?.line, $0.position?.column, $0.message) }
      #expect(got.count == expected.errors.count, "\(file): \(load.diagnostics.map(\.description))")
      for (diagnostic, want) in zip(load.diagnostics, expected.errors) {
        #expect(diagnostic.file == file)
        #expect(
          diagnostic.position == SourcePosition(line: want.line, column: want.column)
            && diagnostic.message.contains(want.phrase),
          "\(file): expected \(want.line):\(want.column) \"\(want.phrase)\", got \(diagnostic)"
        )
      }
      if expected.schema {
        #expect(verdicts[file] != "valid", "the schema accepts \(file)")
        #expect(verdicts[file] != nil, "no schema verdict for \(file)")
      } else {
        // Documented as a loader-only check; if the schema learns it, move it over.
        #expect(verdicts[file] == "valid", "schema: \(verdicts[file] ?? "none") for \(file)")
      }
    }
  }

  @Test("what the encoder writes is valid for the schema")
  func encoderOutputMatchesSchema() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mktopo-observed-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("sample.json")
    try ObservedSnapshot.encode(sample, cluster: "homelab").write(
      to: file,
      atomically: true,
      encoding: .utf8
    )
    let verdicts = try schemaVerdicts([file.path])
    #expect(verdicts[file.path] == "valid", "\(verdicts)")
  }
}
