import FoundationEssentials
import Testing

@testable import MicroK8sSimulator

/// `microk8s kubectl get nodes -o json` and friends (contract §7).
@Suite("kubectl")
struct KubectlTests {
  struct NodeList: Decodable {
    struct Node: Decodable {
      struct Metadata: Decodable {
        var name: String
        var labels: [String: String]
      }
      struct Status: Decodable {
        struct Address: Decodable {
          var type: String
          var address: String
        }
        struct Condition: Decodable {
          var type: String
          var status: String
        }
        struct Info: Decodable { var kubeletVersion: String }
        var addresses: [Address]
        var conditions: [Condition]
        var nodeInfo: Info
      }
      var apiVersion: String
      var kind: String
      var metadata: Metadata
      var status: Status

      var ready: String? { status.conditions.first { $0.type == "Ready" }?.status }
    }
    var apiVersion: String
    var kind: String
    var items: [Node]
  }

  func nodes(_ lab: Lab, on address: String = Lab.contact) throws -> NodeList {
    let outcome = lab.run(address, "kubectl", "get", "nodes", "-o", "json")
    #expect(outcome.exitCode == 0)
    return try JSONDecoder().decode(NodeList.self, from: Data(outcome.stdout.utf8))
  }

  @Test("the node list carries names, InternalIPs, MicroK8s labels, Ready and kubelet versions")
  func nodeList() throws {
    let lab = Lab.cluster(controlPlanes: 2, workers: 1)
    let list = try nodes(lab)
    #expect(list.apiVersion == "v1" && list.kind == "List")
    #expect(list.items.map(\.metadata.name) == ["node1", "node2", "node3"])
    #expect(list.items.allSatisfy { $0.kind == "Node" && $0.ready == "True" })
    #expect(
      list.items.map { $0.status.nodeInfo.kubeletVersion } == ["v1.28.3", "v1.28.3", "v1.28.3"]
    )
    let internalIPs = list.items.map {
      $0.status.addresses.first { $0.type == "InternalIP" }?.address
    }
    #expect(internalIPs == ["192.168.1.10", "192.168.1.11", "192.168.1.12"])
    let controlPlane = "node.kubernetes.io/microk8s-controlplane"
    #expect(list.items.map { $0.metadata.labels[controlPlane] != nil } == [true, true, false])
    #expect(
      list.items[2].metadata.labels["node.kubernetes.io/microk8s-worker"] == "microk8s-worker"
    )
    #expect(list.items.allSatisfy { $0.metadata.labels["microk8s.io/cluster"] == "true" })
    #expect(
      !list.items.contains {
        $0.metadata.labels.keys.contains { $0.hasPrefix("node-role.kubernetes.io") }
      }
    )
  }

  @Test("node names are the lowercase hostnames")
  func lowercase() throws {
    let lab = Lab("192.168.1.10=Node-One")
    #expect(try nodes(lab).items.map(\.metadata.name) == ["node-one"])
  }

  @Test("kubelet versions before 1.25 carry a build suffix")
  func oldKubelet() throws {
    let lab = Lab("192.168.1.10=node1:1.24")
    #expect(try nodes(lab).items[0].status.nodeInfo.kubeletVersion == "v1.24.17-2+59bbb3530b6769")
  }

  @Test("a down host's Node turns Unknown, NotReady in the table")
  func downHost() throws {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(try nodes(lab).items.map(\.ready) == ["True", "True", "Unknown"])
    let table = lab.run(Lab.contact, "kubectl", "get", "nodes").stdout.lines
    #expect(table[0] == "NAME    STATUS     ROLES    AGE   VERSION")
    #expect(table[3] == "node3   NotReady   <none>   0s    v1.28.3")
  }

  @Test("a worker answers with a message and exit 0, no JSON")
  func worker() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    #expect(
      lab.run(Lab.address(2), "kubectl", "get", "nodes", "-o", "json")
        == CommandOutcome(
          stdout: "This MicroK8s deployment is acting as a node in a cluster. "
            + "Please use the microk8s kubectl on the master.\n",
          exitCode: 0
        )
    )
  }

  @Test("a stopped node fails kubectl on standard error")
  func stopped() {
    let lab = Lab(nodes: 1)
    lab.run(Lab.contact, "stop")
    #expect(
      lab.run(Lab.contact, "kubectl", "get", "nodes", "-o", "json")
        == CommandOutcome(stderr: "microk8s is not running, try microk8s start\n", exitCode: 1)
    )
  }

  @Test("get one node by name, and NotFound for an unknown one")
  func single() throws {
    let lab = Lab(nodes: 1)
    let one = lab.run(Lab.contact, "kubectl", "get", "node", "node1", "-ojson")
    let node = try JSONDecoder().decode(NodeList.Node.self, from: Data(one.stdout.utf8))
    #expect(node.metadata.name == "node1")
    let missing = lab.run(Lab.contact, "kubectl", "get", "no", "nope", "--output=json")
    #expect(
      missing
        == CommandOutcome(
          stderr: "Error from server (NotFound): nodes \"nope\" not found\n",
          exitCode: 1
        )
    )
  }

  @Test("unsupported kubectl commands say they are not simulated")
  func unsupported() {
    let lab = Lab(nodes: 1)
    let outcome = lab.run(Lab.contact, "kubectl", "get", "pods")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stderr.contains("is not simulated"))
  }
}
