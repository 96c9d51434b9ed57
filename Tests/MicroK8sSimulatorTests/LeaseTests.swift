import Foundation
import Testing

@testable import MicroK8sSimulator

@Suite("node leases")
struct LeaseTests {
  private func renewTime(_ lab: Lab, _ name: String) throws -> String {
    let got = lab.run(
      Lab.contact,
      arguments: ["kubectl", "get", "lease", name, "-n", "kube-node-lease", "-o", "json"]
    )
    #expect(got.exitCode == 0, "\(got)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(got.stdout.utf8)) as? [String: Any]
    )
    #expect(json["kind"] as? String == "Lease")
    let spec = try #require(json["spec"] as? [String: Any])
    return try #require(spec["renewTime"] as? String)
  }

  @Test("a live kubelet renews every 10 s; a silent one keeps its last renewal")
  func renewals() throws {
    let lab = Lab.cluster(controlPlanes: 3)
    let start = lab.now
    lab.now += 25
    #expect(try renewTime(lab, "node3") == Timestamp.rfc3339Micro(start + 20))
    #expect(lab.apply(.down, to: Lab.address(3)))
    lab.now += 100
    #expect(try renewTime(lab, "node3") == Timestamp.rfc3339Micro(start + 20))
    #expect(try renewTime(lab, "node2") == Timestamp.rfc3339Micro(start + 120))
  }

  @Test("only in kube-node-lease, and NotFound for a node that is not there")
  func scope() {
    let lab = Lab.cluster(controlPlanes: 1)
    let missing = lab.run(
      Lab.contact,
      arguments: ["kubectl", "get", "lease", "node9", "-n", "kube-node-lease", "-o", "json"]
    )
    #expect(missing.exitCode == 1)
    #expect(missing.stderr.contains("(NotFound): leases.coordination.k8s.io \"node9\" not found"))
    let elsewhere = lab.run(
      Lab.contact,
      arguments: ["kubectl", "get", "lease", "node1", "-o", "json"]
    )
    #expect(elsewhere.exitCode == 1)
    let listed = lab.run(
      Lab.contact,
      arguments: ["kubectl", "get", "leases", "--namespace=kube-node-lease"]
    )
    #expect(listed.stdout.hasPrefix("NAME    HOLDER   AGE"), "\(listed.stdout)")
  }
}

@Suite("releases")
struct ReleaseCommandTests {
  @Test("'microk8s version' exists from 1.25 on (canonical/microk8s PR #3078)")
  func versionCommand() {
    let lab = Lab("192.168.1.10=node1:1.24", "192.168.1.11=node2:1.25")
    let old = lab.run("192.168.1.10", "version")
    #expect(old.exitCode == 1)
    #expect(old.stdout.hasPrefix("'version' is not a valid MicroK8s subcommand.\n"))
    let new = lab.run("192.168.1.11", "version")
    #expect(new.exitCode == 0 && new.stdout == "MicroK8s v1.25.16 revision 6254\n")
  }
}

@Suite("releases 1.24 to 1.32")
struct ReleaseDifferenceTests {
  @Test("status not ready exits 0 up to 1.27, 1 from 1.28 on")
  func statusExit() {
    let lab = Lab("192.168.1.10=node1:1.27", "192.168.1.11=node2:1.28")
    lab.world.settings.readyDelay = 5
    lab.apply(.stop, to: "192.168.1.10")
    lab.apply(.start, to: "192.168.1.10")
    lab.apply(.stop, to: "192.168.1.11")
    lab.apply(.start, to: "192.168.1.11")
    let old = lab.run("192.168.1.10", "status", "--format", "yaml")
    #expect(old.exitCode == 0)
    #expect(old.stdout.contains("running: False") || old.stdout.contains("not running"))
    #expect(lab.run("192.168.1.11", "status", "--format", "yaml").exitCode == 1)
  }

  @Test("leave on a node that never clustered wipes it up to 1.27, is refused from 1.28")
  func leaveUnclustered() {
    let lab = Lab("192.168.1.10=node1:1.27", "192.168.1.11=node2:1.28")
    let before = lab.cluster(of: "192.168.1.10").kubeSystemUID
    #expect(lab.run("192.168.1.10", "leave").exitCode == 0)
    #expect(lab.cluster(of: "192.168.1.10").kubeSystemUID != before, "a new, empty datastore")
    let refused = lab.run("192.168.1.11", "leave")
    #expect(refused.exitCode == 1)
    #expect(refused.stdout.contains("is not acting as a node in a cluster"))
  }

  @Test("the join agent checks the joiner's hostname up to 1.27 only")
  func hostnameCheck() {
    let old = Lab("192.168.1.10=node1:1.27", "192.168.1.11=node2:1.27")
    old.apply(.hostnameResolves(false), to: "192.168.1.11")
    old.mint()
    let refused = old.run("192.168.1.11", "join", "192.168.1.10:25000/\(Lab.token)")
    #expect(refused.exitCode == 6)
    #expect(refused.stdout.contains("does not resolve to the IP"), "\(refused.stdout)")

    let new = Lab("192.168.1.10=node1:1.28", "192.168.1.11=node2:1.28")
    new.apply(.hostnameResolves(false), to: "192.168.1.11")
    new.mint()
    #expect(new.run("192.168.1.11", "join", "192.168.1.10:25000/\(Lab.token)").exitCode == 0)
  }
}

@Suite("raft leader")
struct RaftLeaderTests {
  @Test("after a shrink to two the leader keeps the vote, whichever member it is")
  func leaderKeepsTheVote() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.lead, to: Lab.address(3)))
    #expect(lab.run(Lab.address(2), "leave").exitCode == 0)
    #expect(lab.members() == ["192.168.1.10:19001 spare", "192.168.1.12:19001 voter"])
    // A host that is no voter cannot be elected.
    let other = Lab.cluster(controlPlanes: 2)
    #expect(other.apply(.lead, to: Lab.address(2)))
    #expect(other.cluster(of: Lab.contact).leader == nil)
  }
}
