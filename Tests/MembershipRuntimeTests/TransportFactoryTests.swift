import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("TransportFactory")
struct TransportFactoryTests {
  let factory = TransportFactory(ssh: SSHOptions())

  @Test("picks the transport from connection.type")
  func picksTransport() {
    #expect(factory.transport(for: node(connection: Connection(type: .local))) is LocalTransport)
    #expect(factory.transport(for: node(connection: Connection(type: .ssh))) is SSHTransport)
    #expect(
      factory.transport(for: node(connection: Connection(type: .exec, command: ["lxc"])))
        is ExecTransport
    )
  }

  @Test("ssh connects to the node's address and names the node in messages")
  func sshDestination() throws {
    let transport = factory.transport(
      for: node("node3", address: "192.0.2.7", connection: Connection())
    )
    let ssh = try #require(transport as? SSHTransport)
    #expect(ssh.destination == "192.0.2.7")
    #expect(ssh.host == "node3")
  }

  @Test("a node written without an address is reached by its name")
  func sshWithoutAddress() throws {
    let transport = factory.transport(for: node("old3", address: nil, connection: Connection()))
    #expect((transport as? SSHTransport)?.destination == "old3")
  }

  @Test("the MicroK8s argv is the node's microk8s argv, expanded, then the arguments")
  func microk8sArgv() {
    let simulated = node(
      "node2",
      address: "10.0.0.2",
      microk8s: ["microk8s-sim", "--state", "/tmp/world", "--host", "{address}", "--as={name}"]
    )
    #expect(
      TransportFactory.microk8s(["status", "--format", "yaml"], on: simulated) == [
        "microk8s-sim", "--state", "/tmp/world", "--host", "10.0.0.2", "--as=node2",
        "status", "--format", "yaml",
      ]
    )
    #expect(
      TransportFactory.microk8s(["version"], on: node())
        == ["sudo", "-n", "/snap/bin/microk8s", "version"]
    )
  }

  @Test("placeholders in the MicroK8s arguments themselves are left alone")
  func argumentsNotExpanded() {
    let argv = TransportFactory.microk8s(["kubectl", "get", "{name}"], on: node())
    #expect(argv.last == "{name}")
  }

  @Test("IPv6 addresses expand in their canonical form")
  func ipv6() {
    let spec = node("v6", address: "fd00::0:1", microk8s: ["m", "{address}"])
    #expect(TransportFactory.microk8s([], on: spec) == ["m", "fd00::1"])
  }
}
