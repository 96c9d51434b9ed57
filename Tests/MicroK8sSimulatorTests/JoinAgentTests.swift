import Testing

@testable import MicroK8sSimulator

/// The cluster agent's side of a join: token rules and the refusals of contract §3.4.
@Suite("join: cluster agent")
struct JoinAgentTests {
  let lab = Lab(nodes: 4)
  let url = "192.168.1.10:25000/\(Lab.token)"

  @Test("a single-use token admits one join; the second gets Invalid token")
  func singleUse() {
    lab.mint()
    #expect(lab.run(Lab.address(2), "join", url).exitCode == 0)
    let second = lab.run(Lab.address(3), "join", url)
    #expect(second.stdout.lines.last == "Connection failed. Invalid token (500).")
    #expect(second.exitCode == 6)
  }

  @Test("each add-node of the same token grants one more use")
  func sameTokenTwice() {
    lab.mint()
    lab.mint()
    #expect(lab.run(Lab.address(2), "join", url).exitCode == 0)
    #expect(lab.run(Lab.address(3), "join", url).exitCode == 0)
    #expect(lab.run(Lab.address(4), "join", url).exitCode == 6)
  }

  @Test("a TTL token admits many joins until it expires")
  func multiUse() {
    lab.mint(ttl: 60)
    #expect(lab.run(Lab.address(2), "join", url).exitCode == 0)
    #expect(lab.run(Lab.address(3), "join", url).exitCode == 0)
    lab.now += 61
    let late = lab.run(Lab.address(4), "join", url)
    #expect(late.stdout.lines.last == "Connection failed. Invalid token (500).")
  }

  @Test("a TTL of 0 is already expired")
  func zeroTTL() {
    lab.mint(ttl: 0)
    #expect(lab.run(Lab.address(2), "join", url).exitCode == 6)
  }

  @Test("a token is only good on the node that minted it")
  func perNode() {
    lab.mint(on: Lab.address(3))
    #expect(lab.run(Lab.address(2), "join", url).stdout.contains("Invalid token (500)"))
  }

  @Test("a refusal after the token check burns a single-use token")
  func burn() {
    lab.join(Lab.address(2))
    lab.mint()
    let again = lab.run(Lab.address(2), "join", url)
    #expect(
      again.stdout.lines.last
        == "Connection failed. The joining node (192.168.1.11) is already known to dqlite (504)."
    )
    #expect(lab.host(Lab.contact).tokens.isEmpty)
    #expect(lab.run(Lab.address(3), "join", url).stdout.contains("Invalid token (500)"))
  }

  @Test("1.29+ agents wrap the already-known error and answer 500")
  func alreadyKnownModern() {
    let lab = Lab("192.168.1.10=node1:1.32", "192.168.1.11=node2:1.32")
    lab.join("192.168.1.11")
    lab.mint()
    let again = lab.run("192.168.1.11", "join", "192.168.1.10:25000/\(Lab.token)")
    #expect(
      again.stdout.lines.last
        == "Connection failed. Failed to retrieve dqlite cluster nodes: the joining node "
        + "(192.168.1.11) is already known to dqlite (500)."
    )
  }

  @Test("a node joining itself gets the same-IP refusal")
  func sameIP() {
    lab.mint()
    let outcome = lab.run(Lab.contact, "join", url)
    #expect(
      outcome.stdout.lines.last
        == "Connection failed. The joining node has the same IP (192.168.1.10) as the node we contact (503)."
    )
  }

  @Test(
    "each injected refusal prints its message, exits 6 and burns the token",
    arguments: [
      (FaultKind.joinInvalidToken, "Invalid token (500)."),
      (.joinNotHA, "Not possible to join. This is not an HA MicroK8s cluster (501)."),
      (.joinAgentPortMismatch, "The port of the cluster agent port has to be set to 25000 (502)."),
      (
        .joinSameIP, "The joining node has the same IP (192.168.1.10) as the node we contact (503)."
      ),
      (
        .joinHostnameUnresolvable,
        "The hostname (node2) of the joining node does not resolve to the IP \"192.168.1.11\". Refusing join (400)."
      ),
      (.joinAlreadyKnown, "The joining node (192.168.1.11) is already known to dqlite (504)."),
      (
        .joinDqliteBindAddress,
        "Failed to find matching dqlite bind address for 192.168.1.10:25000: address 192.168.1.10 "
          + "was not found in any host interface. refuse to update dqlite bind address to "
          + "192.168.1.10 as it would break the cluster (500)."
      ),
      (
        .joinCustomEtcd,
        "This MicroK8s cluster uses a custom etcd endpoint. update MicroK8s to version 1.28 or "
          + "newer and retry the join operation (500)."
      ),
    ]
  )
  func injectedRefusal(kind: FaultKind, message: String) {
    let lab = Lab(nodes: 2)
    lab.fault(Lab.address(2), "join", kind)
    lab.mint()
    let outcome = lab.run(Lab.address(2), "join", "192.168.1.10:25000/\(Lab.token)")
    #expect(outcome.stdout.lines.last == "Connection failed. " + message)
    #expect(outcome.exitCode == 6)
    let burnt = kind != .joinInvalidToken
    #expect(lab.host(Lab.contact).tokens.isEmpty == burnt)
    #expect(lab.host(Lab.address(2)).mode == .standalone)
    #expect(lab.world.faults.isEmpty)
  }

  @Test("a contact whose datastore lost quorum admits a control-plane join that never ends")
  func noQuorum() {
    let lab = Lab.cluster(controlPlanes: 3)
    for (address, name) in [("192.168.1.20", "late"), ("192.168.1.21", "later")] {
      lab.world.hosts.append(
        SimulatedHost(address: address, hostname: name, track: "1.28", cluster: 0)
      )
      lab.world.startFreshDatastore(
        hostIndex: lab.world.hosts.count - 1,
        readyAt: lab.now,
        now: lab.now
      )
    }
    lab.mint()
    #expect(lab.apply(.down, to: Lab.address(2)))
    #expect(lab.apply(.down, to: Lab.address(3)))
    // A control-plane join is accepted all the same (canonical/microk8s #4555, #4584):
    // the joiner wipes its data and exits 0, and never gets into the datastore.
    let outcome = lab.run("192.168.1.20", "join", "192.168.1.10:25000/\(Lab.token)")
    #expect(outcome.exitCode == 0, "\(outcome)")
    #expect(outcome.stdout.contains("Waiting for this node to finish joining the cluster."))
    #expect(lab.members().count == 3)
    #expect(lab.host("192.168.1.20").cluster == lab.host(Lab.contact).cluster)
    #expect(!lab.world.isAttached(lab.host("192.168.1.20")))
    // A worker's join needs the API server, which cannot answer.
    lab.mint(token: "fedcba9876543210fedcba9876543210")
    let worker = lab.run(
      "192.168.1.21",
      "join",
      "192.168.1.10:25000/fedcba9876543210fedcba9876543210",
      "--worker"
    )
    #expect(worker.exitCode == 6)
    #expect(worker.stdout.contains("timed out waiting for cluster condition"))
  }
}
