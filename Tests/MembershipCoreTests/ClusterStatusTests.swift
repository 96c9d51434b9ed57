import MembershipCore
import Testing

@Suite("Cluster status: every node of the file and of the cluster, with drift")
struct ClusterStatusTests {
  /// node1 voter, node2 NotReady and unreachable, node3 standalone (not joined), w1 a
  /// worker running as mixed, old absent but still a member, stray unlisted, and a ghost.
  static func scenario() -> PlannerScenario {
    var scenario = PlannerScenario([
      "node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed", "node3@10.0.0.3:mixed",
      "w1@10.0.0.9:worker", "old@10.0.0.8:mixed:absent",
    ])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    scenario.member("node2", "10.0.0.2", datastore: .voter, ready: false)
    scenario.observed.unreachable = ["node2"]
    scenario.standalone("node3")
    scenario.member("w1", "10.0.0.9", .mixed, datastore: .voter)
    scenario.member("old", "10.0.0.8", .worker)
    scenario.member("stray", "10.0.0.50", .worker)
    scenario.observed.datastore.append(
      DatastoreMember(address: PlannerScenario.ip("10.0.0.77"), role: .spare)
    )
    return scenario
  }

  @Test("rows: the file's nodes in file order, then unlisted members, then ghosts")
  func rows() {
    let scenario = Self.scenario()
    let status = ClusterStatus(topology: scenario.topology, observed: scenario.observed)
    #expect(
      status.rows.map(\.name) == [
        "node1", "node2", "node3", "w1", "old", "stray", "10.0.0.77:19001",
      ]
    )
    let drift = Dictionary(uniqueKeysWithValues: status.rows.map { ($0.name, $0.drift) })
    #expect(drift["node1"] == [])
    #expect(drift["node2"] == [.notReady, .unreachable])
    #expect(drift["node3"] == [.notJoined])
    #expect(drift["w1"] == [.roleDiffers])
    #expect(drift["old"] == [.absentButMember])
    #expect(drift["stray"] == [.unlisted])
    #expect(drift["10.0.0.77:19001"] == [.ghost])
    #expect(status.voterCount == 3)
    #expect(status.highAvailability)
    #expect(status.driftCount == 6)
    let node3 = status.rows[2]
    #expect(node3.role == nil && node3.version == "1.28" && node3.reachable == true)
    #expect(node3.probe == .standalone(track: PlannerScenario.track))
    #expect(status.rows[5].reachable == nil, "mktopo asks nothing of an unlisted member")
  }

  @Test("a member on another track, or at another address, is marked")
  func versionAndAddress() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed", "node2@10.0.0.2:mixed"])
    scenario.observed.nodes = [
      ObservedNode(
        name: "node1",
        internalIP: PlannerScenario.ip("10.0.0.1"),
        role: .mixed,
        ready: true,
        kubeletVersion: "v1.27.9"
      ),
      ObservedNode(
        name: "node2",
        internalIP: PlannerScenario.ip("10.0.0.20"),
        role: .mixed,
        ready: true,
        kubeletVersion: "v1.28.0-2+59bbb3530b6769"
      ),
    ]
    scenario.observed.contact = "node1"
    let status = ClusterStatus(topology: scenario.topology, observed: scenario.observed)
    #expect(status.rows[0].drift == [.versionDiffers])
    #expect(status.rows[1].drift == [.addressDiffers])
  }

  @Test("text: a header, aligned columns, markers, and the closing line")
  func text() {
    let scenario = Self.scenario()
    let text = StatusRenderer.text(
      ClusterStatus(topology: scenario.topology, observed: scenario.observed)
    )
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines[0] == "Cluster homelab: read through node1; 3 datastore voters (highly available)."
    )
    #expect(lines[2].hasPrefix("NAME "))
    #expect(lines[2].hasSuffix("DRIFT"))
    let column = lines[2].distance(
      from: lines[2].startIndex,
      to: lines[2].range(of: "ADDRESS")!.lowerBound
    )
    for line in lines[3...9] {
      let address = line.dropFirst(column).prefix(while: { $0 != " " })
      #expect(address.first?.isNumber == true, "address column misaligned: \(line)")
    }
    #expect(lines[4].hasSuffix("not-ready,unreachable"))
    #expect(lines[5].contains("1.28") && lines[5].hasSuffix("not-joined"))
    #expect(lines[8].contains("unlisted"))
    // A member read through the contact was asked nothing: said so, not a bare dash.
    #expect(lines[3...9].contains { $0.contains(" not asked ") }, "\(lines)")
    #expect(
      text.hasSuffix(
        "6 of 7 nodes differ from the topology or need attention; "
          + "'mktopo plan' shows what would change.\n"
      )
    )
  }

  @Test("text: a converged cluster says every node matches; no member answered says so")
  func textConvergedAndUnknown() {
    var scenario = PlannerScenario(["node1@10.0.0.1:mixed"])
    scenario.member("node1", "10.0.0.1", datastore: .voter)
    let converged = StatusRenderer.text(
      ClusterStatus(topology: scenario.topology, observed: scenario.observed)
    )
    #expect(converged.hasSuffix("Every node matches the topology.\n"))
    #expect(
      converged.hasPrefix(
        "Cluster homelab: read through node1; 1 datastore voter (not highly available)."
      )
    )

    var nobody = PlannerScenario(["node1@10.0.0.1:mixed"])
    nobody.observed.unreachable = ["node1"]
    let unknown = StatusRenderer.text(
      ClusterStatus(topology: nobody.topology, observed: nobody.observed)
    )
    #expect(unknown.hasPrefix("Cluster homelab: no member answered"))
    #expect(unknown.contains("not-joined,unreachable"))
  }

  @Test("JSON: the documented fields per node, in order")
  func json() {
    let scenario = Self.scenario()
    let json = StatusRenderer.json(
      ClusterStatus(topology: scenario.topology, observed: scenario.observed)
    )
    #expect(
      json.hasPrefix(
        "{\n  \"formatVersion\": 1,\n  \"cluster\": \"homelab\",\n  \"contact\": \"node1\","
      )
    )
    #expect(json.contains("\"highAvailability\": true"))
    let keys = [
      "name", "address", "role", "ready", "version", "datastoreRole", "inTopology", "reachable",
      "desiredRole", "state", "probe", "drift",
    ]
    var cursor = json.range(of: "\"name\": \"node2\"")!.lowerBound
    for key in keys {
      let found = json.range(of: "\"\(key)\":", range: cursor..<json.endIndex)
      #expect(found != nil, "\(key) missing after \(key)")
      if let found { cursor = found.upperBound }
    }
    #expect(json.contains("\"drift\": [\n        \"not-ready\",\n        \"unreachable\"\n      ]"))
    #expect(json.contains("\"probe\": \"standalone\""))
  }
}
