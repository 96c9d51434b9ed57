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
