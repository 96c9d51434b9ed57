import Testing

@testable import MicroK8sSimulator

/// `microk8s join` from the joining side (contract §3.1 to §3.3, §3.5, §3.6).
@Suite("join")
struct JoinTests {
  let lab = Lab(nodes: 3)
  let joiner = Lab.address(2)

  @Test("a control-plane join prints the 1.29-less transcript and joins the datastore")
  func controlPlane() {
    let check = lab.mint()
    let outcome = lab.run(joiner, "join", "192.168.1.10:25000/\(check)")
    #expect(
      outcome
        == CommandOutcome(
          stdout: "Contacting cluster at 192.168.1.10\n"
            + "Waiting for this node to finish joining the cluster.  \n",
          exitCode: 0
        )
    )
    #expect(lab.members() == ["192.168.1.10:19001 voter", "192.168.1.11:19001 spare"])
    #expect(lab.host(joiner).mode == .controlPlane)
    #expect(lab.host(Lab.contact).mode == .controlPlane)
    #expect(lab.host(joiner).clustered && lab.host(Lab.contact).clustered)
    #expect(lab.readiness(of: "node2") == .ready)
  }

  @Test("1.29 and later print the success line")
  func successLine() {
    let lab = Lab("192.168.1.10=node1:1.32", "192.168.1.11=node2:1.32")
    let outcome = lab.join("192.168.1.11")
    #expect(outcome.stdout.lines.last == "Successfully joined the cluster.")
  }

  @Test("the first join pins the founder's 127.0.0.1 address to the dialled IP")
  func pinsFounder() {
    #expect(lab.members() == ["127.0.0.1:19001 voter"])
    lab.join(joiner)
    #expect(lab.members().first == "192.168.1.10:19001 voter")
  }

  @Test("join wipes the joiner's own datastore and its objects")
  func wipesJoiner() {
    let before = lab.host(joiner).cluster
    lab.join(joiner)
    #expect(lab.host(joiner).cluster == lab.host(Lab.contact).cluster)
    #expect(lab.world.clusterIndex(before) == nil)
  }

  @Test("a worker join prints the worker notes and registers a worker Node only")
  func worker() {
    let outcome = lab.join(joiner, worker: true)
    #expect(outcome.stdout.lines.first == "Contacting cluster at 192.168.1.10")
    #expect(
      outcome.stdout.contains("The node has joined the cluster and will appear in the nodes list")
    )
    #expect(lab.host(joiner).mode == .worker)
    #expect(lab.members() == ["192.168.1.10:19001 voter"])
    let node = lab.cluster(of: Lab.contact).nodes.first { $0.name == "node2" }
    #expect(node?.labels["node.kubernetes.io/microk8s-worker"] == "microk8s-worker")
  }

  @Test(
    "1.29+ validates the connection string",
    arguments: [
      ("192.168.1.10:25000", "Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]"),
      ("node1:25000/\(Lab.token)", "Invalid master IP"),
      ("192.168.1.10:port/\(Lab.token)", "Master PORT not a number"),
      ("192.168.1.10:70000/\(Lab.token)", "Master PORT not in range 1:65535"),
      ("192.168.1.10:25000/short", "Cluster token size should be at least 32 bytes"),
      ("192.168.1.10:25000/\(Lab.token)/abc", "Fingerprint should be at least 12 bytes"),
      (
        "fd00::1:25000/\(Lab.token)",
        "Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]"
      ),
    ]
  )
  func invalidConnection(connection: String, reason: String) {
    let lab = Lab("192.168.1.10=node1:1.30", "192.168.1.11=node2:1.30")
    let outcome = lab.run("192.168.1.11", "join", connection)
    #expect(outcome == CommandOutcome(stdout: "Invalid connection: \(reason)\n", exitCode: 1))
  }

  @Test("up to 1.28 a hostname is dialled and fails with a resolver traceback")
  func hostnameBefore129() {
    let outcome = lab.run(joiner, "join", "node1:25000/\(Lab.token)")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stdout == "Contacting cluster at node1\n")
    #expect(outcome.stderr.lines.last == "socket.gaierror: [Errno -2] Name or service not known")
  }

  @Test("a missing connection is a click usage error, exit 2")
  func missingConnection() {
    let outcome = lab.run(joiner, "join", "--worker")
    #expect(outcome.exitCode == 2)
    #expect(outcome.stderr.lines.last == "Error: Missing argument 'CONNECTION'.")
  }

  @Test("a wrong fingerprint fails with exit 4 and keeps the token")
  func fingerprintMismatch() {
    lab.mint()
    let outcome = lab.run(joiner, "join", "192.168.1.10:25000/\(Lab.token)/000000000000")
    #expect(
      outcome.stdout.lines.last
        == "Joining cluster failed. Could not verify the identity of 192.168.1.10. "
        + "Use '--skip-verify' to skip server certificate check."
    )
    #expect(outcome.exitCode == 4)
    #expect(lab.host(Lab.contact).tokens.count == 1)
    let skipped = lab.run(
      joiner,
      "join",
      "192.168.1.10:25000/\(Lab.token)/000000000000",
      "--skip-verify"
    )
    #expect(skipped.exitCode == 0)
  }

  @Test("the full 64-digit certificate hash is accepted as a fingerprint")
  func fullFingerprint() {
    lab.mint()
    let hash = lab.host(Lab.contact).certificateHash
    #expect(lab.run(joiner, "join", "192.168.1.10:25000/\(Lab.token)/\(hash)").exitCode == 0)
  }

  @Test("an unreachable agent gives a traceback on stderr and exit 1, token kept")
  func unreachable() {
    lab.mint()
    #expect(lab.apply(.down, to: Lab.contact))
    let down = lab.run(joiner, "join", "192.168.1.10:25000/\(Lab.token)")
    #expect(down.exitCode == 1)
    #expect(down.stdout == "Contacting cluster at 192.168.1.10\n")
    #expect(down.stderr.hasPrefix("Traceback (most recent call last):\n"))
    #expect(down.stderr.lines.last == "OSError: [Errno 113] No route to host")
    #expect(lab.apply(.up, to: Lab.contact))
    let wrongPort = lab.run(joiner, "join", "192.168.1.10:16443/\(Lab.token)")
    #expect(wrongPort.stderr.lines.last == "ConnectionRefusedError: [Errno 111] Connection refused")
    #expect(lab.host(Lab.contact).tokens.count == 1)
  }

  @Test("the low-memory guard refuses a control-plane join unless disabled")
  func lowMemory() {
    lab.mint(ttl: 600)
    #expect(lab.apply(.lowMemory(true), to: joiner))
    let url = "192.168.1.10:25000/\(Lab.token)"
    let refused = lab.run(joiner, "join", url)
    #expect(refused.exitCode == 1)
    #expect(
      refused.stdout.lines[1]
        == "This node does not have enough RAM to host the Kubernetes control plane services"
    )
    #expect(refused.stdout.contains("    microk8s join \(url) --worker\n"))
    #expect(lab.run(joiner, "join", url, "--disable-low-memory-guard").exitCode == 0)
    #expect(!lab.host(joiner).lowMemory)
  }

  @Test("--controlplane takes the worker path and fails after burning the token")
  func controlplaneFlag() {
    let check = lab.mint()
    let outcome = lab.run(joiner, "join", "192.168.1.10:25000/\(check)", "--controlplane")
    #expect(
      outcome.stdout.lines.last
        == "Joining process failed. Make sure the cluster you connect to supports joining worker nodes."
    )
    #expect(outcome.exitCode == 1)
    #expect(lab.host(Lab.contact).tokens.isEmpty)
    #expect(lab.host(joiner).mode == .standalone)
  }

  @Test("a silent dqlite timeout exits 0 with the success text but joins nothing")
  func silentTimeout() {
    let lab = Lab("192.168.1.10=node1:1.30", "192.168.1.11=node2:1.30")
    lab.fault("192.168.1.11", "join", .joinSilentTimeout)
    let check = lab.mint()
    let outcome = lab.run("192.168.1.11", "join", "192.168.1.10:25000/\(check)")
    #expect(outcome.exitCode == 0)
    #expect(
      outcome.stdout.lines == [
        "Contacting cluster at 192.168.1.10",
        "Waiting for this node to finish joining the cluster. "
          + String(repeating: ".. ", count: 10) + " ",
        "Successfully joined the cluster.",
      ]
    )
    #expect(lab.members() == ["192.168.1.10:19001 voter"])
    #expect(!lab.cluster(of: Lab.contact).nodes.contains { $0.name == "node2" })
    #expect(lab.run("192.168.1.11", "status").exitCode == 1)
  }

  @Test("a join across minor releases registers a Node that never turns Ready")
  func versionSkew() {
    let lab = Lab("192.168.1.10=node1:1.28", "192.168.1.11=node2:1.29")
    lab.join("192.168.1.11")
    #expect(lab.members().count == 2)
    #expect(lab.readiness(of: "node2") == .notReady)
  }
}
