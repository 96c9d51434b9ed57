import MembershipCore
import Testing

@Suite("Observed snapshot: encoding and fingerprint")
struct ObservedSnapshotEncodingTests {
  /// Every kind of fact a snapshot holds; most tests encode it.
  let sample = ObservedCluster.everyKindOfFact

  @Test("encode then decode gives the same facts, in canonical order")
  func roundTrip() throws {
    let text = ObservedSnapshot.encode(sample, cluster: "homelab")
    let load = ObservedSnapshot.decode(text)
    #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
    let observed = try #require(load.observed)
    #expect(observed == sample.canonicallyOrdered())
    #expect(load.cluster == "homelab")
    #expect(ObservedSnapshot.encode(observed, cluster: "homelab") == text)
  }

  @Test("the canonical encoding: key order, sorted lists, one entry per line, final newline")
  func canonicalText() throws {
    // The fixture is the golden file: it shows the format as `mktopo observe` writes it.
    let golden = try PackagePaths.bytes("Tests/Fixtures/observed/valid/every-kind-of-fact.json")
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
    #expect(ObservedSnapshot.decode(text).observed == ObservedCluster())
  }

  @Test("the order facts were gathered in changes neither the encoding nor the fingerprint")
  func orderIndependence() {
    let expected = ObservedSnapshot.encode(sample)
    for seed in UInt64(1)...200 {
      let reordered = sample.shuffled(seed: seed)
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
    let fixture = try PackagePaths.bytes(
      "Tests/Fixtures/observed/valid/ha-three-nodes-with-worker.json"
    )
    let observed = try #require(ObservedSnapshot.decode(fixture, file: "f").observed)
    #expect(
      observed.fingerprint == "0fba3a3fab250579b6613ce6ccf5c1f6ee96d3277ade1cfd9729fc506c9b15b4"
    )
  }

  @Test("the cluster name is not an observed fact and leaves the fingerprint alone")
  func clusterNameNotFingerprinted() throws {
    let named = try #require(
      ObservedSnapshot.decode(ObservedSnapshot.encode(sample, cluster: "homelab")).observed
    )
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
    variant("probe hostname") { $0.probes[0].hostname = "node4b" }
    variant("probe hostname to none") { $0.probes[0].hostname = nil }
    variant("probe identity") { $0.probes[1].identity = nil }
    variant("identity") { $0.identity = "5c3a8f2e-1b7d-4e6a-9f0c-2d8b7e4a1c37" }
    variant("no identity") { $0.identity = nil }
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
    let observed = try #require(ObservedSnapshot.decode(text).observed)
    #expect(observed == cluster.canonicallyOrdered())
    #expect(observed.fingerprint == cluster.shuffled(seed: 7).fingerprint)
  }
}
