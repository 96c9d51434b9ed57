import MembershipCore
import Testing

@Suite("Loading a valid topology")
struct TopologyLoaderTests {
  let full = MarkedYAML(
    """
    apiVersion: mktopo/v1
    kind: Topology
    cluster:
      name: homelab
      version: "1.28"
    defaults:
      connection:
        user: ubuntu
        port: 2222
        identityFile: ~/.ssh/id_ed25519
        proxyJump: admin@bastion.example.net
        knownHostsFile: ~/.ssh/known_hosts
      microk8s: ["sudo", "-n", "/snap/bin/microk8s"]
    policy:
      prune: true
      maxRemovals: 2
      cleanupGhosts: true
      joinTimeout: 90s
      readyTimeout: 1h30m
      leaveTimeout: 5m
      tokenTTL: 10m
    nodes:
      - ①name: node1
        address: 192.168.1.10
      - name: node2
        address: 192.168.1.11
        role: mixed
      - name: node3
        address: 192.168.1.12
      - name: worker1
        address: 192.168.1.20
        role: worker
        connection: { user: admin, port: 22 }
        microk8s: ["/snap/bin/microk8s"]
      - name: old4
        state: absent
    """
  )

  @Test("reads every field, with defaults applied per node")
  func readsEveryField() throws {
    let load = full.load()
    #expect(load.diagnostics.isEmpty, "\(load.diagnostics)")
    let topology = try #require(load.topology)
    #expect(topology.cluster.name == "homelab")
    #expect(topology.cluster.version == Track(major: 1, minor: 28))
    #expect(topology.policy.prune)
    #expect(topology.policy.maxRemovals == 2)
    #expect(topology.policy.cleanupGhosts)
    #expect(topology.policy.joinTimeout == .seconds(90))
    #expect(topology.policy.readyTimeout == .seconds(5400))
    #expect(topology.policy.leaveTimeout == .seconds(300))
    #expect(topology.policy.tokenTTL == .seconds(600))
    #expect(topology.nodes.map(\.name) == ["node1", "node2", "node3", "worker1", "old4"])
    #expect(topology.nodes[0].address == .ipv4(0xC0A8_010A))
    #expect(topology.nodes[0].role == .mixed)
    #expect(topology.nodes[0].state == .present)
    #expect(topology.nodes[0].version == topology.cluster.version)
    #expect(topology.nodes[0].positions.node == full.position("①"))
    #expect(topology.nodes[0].positions.name == SourcePosition(line: 23, column: 11))
    let inherited = topology.nodes[0].connection
    #expect(inherited.type == .ssh)
    #expect(inherited.user == "ubuntu")
    #expect(inherited.port == 2222)
    #expect(inherited.proxyJump == "admin@bastion.example.net")
    #expect(inherited.hostKeyChecking == .strict)
    let overridden = topology.nodes[3].connection
    #expect(overridden.user == "admin")
    #expect(overridden.port == 22)
    #expect(overridden.identityFile == "~/.ssh/id_ed25519", "unset fields still inherit")
    #expect(topology.nodes[3].microk8s == ["/snap/bin/microk8s"])
    #expect(topology.nodes[0].microk8s == ["sudo", "-n", "/snap/bin/microk8s"])
    #expect(topology.nodes[4].state == .absent)
    #expect(topology.nodes[4].address == nil)
    #expect(topology.controlPlaneNodes.count == 3)
  }

  @Test("keeps the position of every field: cluster, policy and connection")
  func fieldPositions() throws {
    let topology = try #require(full.load().topology)
    #expect(topology.cluster.namePosition == SourcePosition(line: 4, column: 9))
    #expect(topology.cluster.versionPosition == SourcePosition(line: 5, column: 12))
    #expect(topology.policy.positions["maxRemovals"] == SourcePosition(line: 16, column: 16))
    #expect(topology.policy.positions["tokenTTL"] == SourcePosition(line: 21, column: 13))
    // Inherited fields point into defaults; the node's own fields into its block.
    #expect(topology.nodes[0].connection.positions.user == SourcePosition(line: 8, column: 11))
    #expect(topology.nodes[3].connection.positions.user == SourcePosition(line: 33, column: 25))
    #expect(
      topology.nodes[3].connection.positions.identityFile == SourcePosition(line: 10, column: 19)
    )
    #expect(topology.nodes[3].positions.microk8s == SourcePosition(line: 34, column: 15))
    #expect(topology.nodes[4].positions.state == SourcePosition(line: 36, column: 12))
  }

  @Test("applies the documented defaults when optional blocks are missing")
  func defaults() throws {
    let load = MarkedYAML(validHeader + "nodes:\n  - name: a\n    address: 10.0.0.1\n").load()
    let topology = try #require(load.topology)
    #expect(topology.policy == Policy())
    #expect(topology.policy.maxRemovals == 1)
    #expect(topology.policy.prune == false)
    #expect(topology.nodes[0].microk8s == ["sudo", "-n", "/snap/bin/microk8s"])
    #expect(topology.nodes[0].connection == Connection())
  }

  @Test("anchors, aliases and merge keys share settings; own keys win over merged ones")
  func mergeKeys() throws {
    let load = MarkedYAML(
      validHeader + """
        nodes:
          - &base
            name: a
            address: 10.0.0.1
            connection: &conn { type: exec, command: ["lxc", "exec", "{name}", "--"] }
          - <<: *base
            name: b
            address: 10.0.0.2
          - name: c
            address: 10.0.0.3
            connection:
              <<: *conn
              command: ["multipass", "exec", "{name}", "--"]
        """
    ).load()
    #expect(load.diagnostics.isEmpty, "\(load.diagnostics)")
    let topology = try #require(load.topology)
    #expect(topology.nodes.map(\.name) == ["a", "b", "c"])
    #expect(topology.nodes[1].connection.type == .exec)
    #expect(topology.nodes[1].connection.command == ["lxc", "exec", "{name}", "--"])
    #expect(topology.nodes[2].connection.command?.first == "multipass")
  }

  @Test("reads IPv6, strict tracks and absent nodes without an address")
  func unusualButValid() throws {
    let load = MarkedYAML(
      validHeader + """
        nodes:
          - name: a
            address: "2001:db8::1"
            version: "1.28/stable"
          - name: b
            address: 10.0.0.2
          - name: c
            address: 10.0.0.3
          - name: gone
            state: absent
        """
    ).load()
    let topology = try #require(load.topology)
    #expect(topology.nodes[0].address?.description == "2001:db8::1")
    #expect(load.diagnostics.map(\.severity) == [.warning], "only the IPv6 warning")
  }
}
