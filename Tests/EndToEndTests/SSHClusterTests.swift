import Foundation
import MembershipCore
import SSHTestSupport
import Testing

/// `mktopo status` and `plan` through real OpenSSH: one sshd per simulated host on its
/// own loopback address, `microk8s-sim` behind each, finding its host from the
/// `SSH_CONNECTION` that sshd sets.
@Suite("status and plan through real ssh", .serialized)
struct SSHClusterTests {
  static let names = ["node1", "node2", "node3", "worker1"]

  /// Four sshd servers and a simulated world of standalone hosts on their addresses.
  struct Lab {
    let sshd: TestSSHD
    let directory: TemporaryDirectory
    let simulator: String
    let world: String
    let mktopo: CommandRunner

    /// The topology: every node over ssh as root with the harness's key, strict host
    /// key checking against `knownHosts` (the harness's file unless given).
    func topology(knownHosts: String? = nil) throws -> String {
      var nodes = ""
      for (index, name) in SSHClusterTests.names.enumerated() {
        let server = sshd[index]
        nodes += """
            - name: \(name)
              address: \(server.address)
              role: \(name.hasPrefix("worker") ? "worker" : "mixed")
              connection: {port: \(server.port)}

          """
      }
      return try directory.write(
        "topology.yaml",
        """
        apiVersion: mktopo/v1
        kind: Topology
        cluster: {name: lab, version: "1.28"}
        defaults:
          connection:
            type: ssh
            user: root
            identityFile: \(sshd.clientKey)
            knownHostsFile: \(knownHosts ?? sshd.knownHosts)
            hostKeyChecking: strict
          microk8s: ["\(simulator)", "--state", "\(world)"]
        nodes:
        \(nodes)
        """
      )
    }

    /// Runs `microk8s-sim --state WORLD ARGUMENTS` here, as the test's own hand.
    func simulate(_ arguments: [String]) async throws {
      let result = await CommandRunner(executable: URL(fileURLWithPath: simulator))
        .run(["--state", world] + arguments)
      guard result.status == 0 else {
        throw SimulatorFailure(description: "microk8s-sim \(arguments): \(result.stderr)")
      }
    }

    func run(_ arguments: [String]) async -> (status: Int32, stdout: String, stderr: String) {
      await mktopo.run(
        arguments + ["--state-dir", directory.url.appendingPathComponent("state").path]
      )
    }
  }

  struct SimulatorFailure: Error, CustomStringConvertible {
    var description: String
  }

  static func withLab(_ body: (Lab) async throws -> Void) async throws {
    let mktopo = try CommandRunner.mktopo()
    let simulator = mktopo.executable.deletingLastPathComponent()
      .appendingPathComponent("microk8s-sim").path
    try await TestSSHD.withServers(count: names.count) { sshd in
      let directory = try TemporaryDirectory()
      let lab = Lab(
        sshd: sshd,
        directory: directory,
        simulator: simulator,
        world: directory.url.appendingPathComponent("world").path,
        mktopo: mktopo
      )
      try await lab.simulate(
        ["init"] + zip(sshd.servers, names).flatMap { ["--host", "\($0.address)=\($1)"] }
      )
      try await lab.simulate(["settings", "rebalance-delay=0", "node-monitor-grace=0"])
      try await body(lab)
    }
  }

  @Test("status and plan of a fresh world, then after a join, over ssh")
  func statusAndPlan() async throws {
    try await Self.withLab { lab in
      let topology = try lab.topology()
      let status = await lab.run(["status", "-f", topology])
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.hasPrefix("Cluster lab: read through node1; 1 datastore voter"))
      #expect(status.stdout.contains("3 of 4 nodes differ"), "\(status.stdout)")

      let plan = await lab.run(["plan", "-f", topology, "--output", "json"])
      #expect(plan.status == 0, "\(plan.stderr)")
      let json = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
      let changes = json?["changes"] as? [[String: Any]] ?? []
      #expect(changes.compactMap { $0["node"] as? String } == ["node2", "node3", "worker1"])

      // node2 joins node1 (by the test's hand); mktopo sees it through ssh.
      try await lab.simulate([
        "--host", lab.sshd[0].address, "add-node", "--token",
        "0123456789abcdef0123456789abcdef", "--token-ttl", "600",
      ])
      try await lab.simulate([
        "--host", lab.sshd[1].address, "join",
        "\(lab.sshd[0].address):25000/0123456789abcdef0123456789abcdef",
      ])
      let after = await lab.run(["status", "-f", topology, "--output", "json"])
      #expect(after.status == 0, "\(after.stderr)")
      let nodes =
        (try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])?[
          "nodes"
        ] as? [[String: Any]] ?? []
      let node2 = nodes.first { $0["name"] as? String == "node2" }
      #expect(node2?["role"] as? String == "mixed")
      #expect(node2?["datastoreRole"] as? String == "spare")
      #expect(node2?["ready"] as? Bool == true)
    }
  }

  @Test("a host whose sshd is stopped shows as unreachable, not as absent")
  func stoppedHost() async throws {
    try await Self.withLab { lab in
      let topology = try lab.topology()
      // A cluster of node1 and node2 to read: with none, node3 might be the cluster, and
      // nothing could be founded while it cannot be read.
      try await lab.simulate([
        "--host", lab.sshd[0].address, "add-node", "--token",
        "0123456789abcdef0123456789abcdef", "--token-ttl", "600",
      ])
      try await lab.simulate([
        "--host", lab.sshd[1].address, "join",
        "\(lab.sshd[0].address):25000/0123456789abcdef0123456789abcdef",
      ])
      await lab.sshd[2].stop()
      let status = await lab.run(["status", "-f", topology])
      #expect(status.status == 0, "\(status.stderr)")
      let node3 = status.stdout.split(separator: "\n").first { $0.hasPrefix("node3 ") } ?? ""
      #expect(node3.hasSuffix("not-joined,unreachable"), "\(status.stdout)")
      #expect(status.stderr.contains("warning: node3: cannot reach the host"), "\(status.stderr)")
      let plan = await lab.run(["plan", "-f", topology])
      #expect(plan.status == 1, "a blocked join exits 1")
      #expect(plan.stdout.contains("! join node3: blocked"))
      #expect(plan.stdout.contains("node3 could not be reached; it is not treated as absent"))
    }
  }

  @Test("the tests' network guard: ssh to an example's documentation address is refused")
  func networkGuard() async throws {
    let directory = try TemporaryDirectory()
    let result = try await CommandRunner.mktopo().run([
      "status", "-f", "examples/three-node-ha.yaml", "--state-dir", directory.url.path,
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("network guard: the tests refused ssh"), "\(result.stderr)")
    #expect(
      result.stderr.contains("error: no control-plane node of the topology could be read"),
      "\(result.stderr)"
    )
  }

  @Test("a wrong host key is refused: the node is not read, and the reason says so")
  func wrongHostKey() async throws {
    try await Self.withLab { lab in
      // node1's entry carries node2's key: a host that is not who it claims to be.
      var lines = lab.sshd.servers.map(\.knownHostsLine)
      lines[0] = "[\(lab.sshd[0].address)]:\(lab.sshd[0].port) \(lab.sshd[1].hostPublicKey)"
      let knownHosts = try lab.directory.write("known_hosts", lines.joined(separator: "\n") + "\n")
      let topology = try lab.topology(knownHosts: knownHosts)
      let status = await lab.run(["status", "-f", topology])
      #expect(status.stderr.contains("host key verification failed"), "\(status.stderr)")
      // node1 may hold the cluster: nothing after it is taken for the cluster instead
      // (node2's standalone MicroK8s founds nothing), and nothing is shown as not joined.
      #expect(status.status == 1)
      #expect(status.stderr.contains("but node1 ("), "\(status.stderr)")
      #expect(status.stderr.contains("nothing is founded"), "\(status.stderr)")
      #expect(!status.stdout.contains("not-joined"), "\(status.stdout)")
      // The simulator never saw a command from node1's session.
      #expect(!status.stdout.contains("read through node1"))
    }
  }
}
