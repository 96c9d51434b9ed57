import Testing

@testable import MicroK8sSimulator

/// `microk8s status` (contract §6).
@Suite("status")
struct StatusTests {
  @Test("a fresh standalone node shows 127.0.0.1:19001 as its only voter")
  func fresh() {
    let lab = Lab(nodes: 1)
    let pretty = lab.run(Lab.contact, "status")
    #expect(
      Array(pretty.stdout.lines.prefix(5)) == [
        "microk8s is running",
        "high-availability: no",
        "  datastore master nodes: 127.0.0.1:19001",
        "  datastore standby nodes: none",
        "addons:",
      ]
    )
    #expect(pretty.stdout.contains("\n    dns                  # (core) CoreDNS\n"))
    let yaml = lab.run(Lab.contact, "status", "--format", "yaml")
    #expect(
      Array(yaml.stdout.lines.prefix(8)) == [
        "microk8s:", "  running: True", "high-availability:", "  enabled: True", "  nodes:",
        "    - address: 127.0.0.1:19001", "      role: voter", "addons:",
      ]
    )
    #expect(yaml.exitCode == 0)
  }

  @Test("yaml lists spares; pretty shows voters and standbys only")
  func sparesInYAMLOnly() {
    let lab = Lab.cluster(controlPlanes: 7)
    let yaml = lab.run(Lab.contact, "status", "--format", "yaml").stdout
    #expect(yaml.contains("    - address: 192.168.1.16:19001\n      role: spare\n"))
    let pretty = lab.run(Lab.contact, "status").stdout.lines
    #expect(pretty[1] == "high-availability: yes")
    #expect(
      pretty[2]
        == "  datastore master nodes: 192.168.1.10:19001 192.168.1.11:19001 192.168.1.12:19001"
    )
    #expect(
      pretty[3]
        == "  datastore standby nodes: 192.168.1.13:19001 192.168.1.14:19001 192.168.1.15:19001"
    )
    #expect(!pretty.joined().contains("192.168.1.16"))
  }

  @Test("a two-node cluster is not highly available and shows only the voter")
  func twoNodes() {
    let lab = Lab.cluster(controlPlanes: 2)
    let pretty = lab.run(Lab.address(2), "status").stdout.lines
    #expect(pretty[1] == "high-availability: no")
    #expect(pretty[2] == "  datastore master nodes: 192.168.1.10:19001")
    #expect(pretty[3] == "  datastore standby nodes: none")
  }

  @Test("not ready: pretty prints one line, yaml the message quirk, exit 1")
  func notReady() {
    let lab = Lab(nodes: 1)
    lab.fault(Lab.contact, "status", .statusNotReady, times: 2)
    let pretty = lab.run(Lab.contact, "status")
    #expect(
      pretty
        == CommandOutcome(
          stdout: "microk8s is not running. Use microk8s inspect for a deeper inspection.\n",
          exitCode: 1
        )
    )
    let yaml = lab.run(Lab.contact, "status", "--format", "yaml")
    #expect(
      yaml.stdout.lines == [
        "microk8s:", "  running: False", "high-availability:", "  enabled: True", "  nodes:",
        "    - address: 127.0.0.1:19001", "      role: voter",
        "  message: microk8s is not running. Use microk8s inspect for a deeper inspection.",
      ]
    )
    #expect(yaml.exitCode == 1)
  }

  @Test("a stopped node prints the stopped text on standard output with exit 0")
  func stopped() {
    let lab = Lab(nodes: 1)
    lab.run(Lab.contact, "stop")
    #expect(
      lab.run(Lab.contact, "status", "--format", "yaml")
        == CommandOutcome(stdout: "microk8s is not running, try microk8s start\n", exitCode: 0)
    )
  }

  @Test("a worker answers with two lines of text whatever the format")
  func worker() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    #expect(
      lab.run(Lab.address(2), "status", "--format", "yaml")
        == CommandOutcome(
          stdout:
            "This MicroK8s deployment is acting as a node in a cluster.\nPlease use the control plane node.\n",
          exitCode: 0
        )
    )
  }

  @Test("a low-memory node refuses status with the guard message")
  func lowMemory() {
    let lab = Lab(nodes: 1)
    #expect(lab.apply(.lowMemory(true), to: Lab.contact))
    let outcome = lab.run(Lab.contact, "status")
    #expect(outcome.exitCode == 1)
    #expect(
      outcome.stdout.lines[1]
        == "This node does not have enough RAM to host the Kubernetes control plane services"
    )
  }

  @Test("short lists repository/name: state and no datastore")
  func short() {
    let lab = Lab(nodes: 1)
    let lines = lab.run(Lab.contact, "status", "--format", "short").stdout.lines
    #expect(lines.prefix(3) == ["microk8s is running", "addons:", "core/dns: enabled"])
  }

  @Test("the empty-datastore fault shows no members")
  func emptyDatastore() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.fault(Lab.contact, "status", .statusEmptyDatastore)
    let lines = lab.run(Lab.contact, "status").stdout.lines
    #expect(lines[1] == "high-availability: no")
    #expect(lines[2] == "  datastore master nodes: none")
  }

  @Test("bad arguments are argparse errors")
  func usage() {
    let lab = Lab(nodes: 1)
    let outcome = lab.run(Lab.contact, "status", "--format", "json")
    #expect(outcome.exitCode == 2)
    #expect(
      outcome.stderr.lines.last
        == "microk8s status: error: argument --format: invalid choice: 'json' (choose from 'pretty', 'yaml', 'short')"
    )
  }

  @Test("--addon NAME prints enabled or disabled")
  func addon() {
    let lab = Lab(nodes: 1)
    #expect(lab.run(Lab.contact, "status", "-a", "dns").stdout == "enabled\n")
    #expect(lab.run(Lab.contact, "status", "--addon", "registry").stdout == "disabled\n")
  }
}
