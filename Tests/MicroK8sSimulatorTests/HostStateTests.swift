import Testing

@testable import MicroK8sSimulator

/// What every command shares: the host's state, the top-level wrapper, version.
@Suite("hosts and the microk8s wrapper")
struct HostStateTests {
  @Test("version prints MicroK8s vX.Y.Z revision N for the host's track")
  func version() {
    let lab = Lab("192.168.1.10=node1", "192.168.1.11=node2:1.32")
    #expect(
      lab.run(Lab.contact, "version")
        == CommandOutcome(stdout: "MicroK8s v1.28.3 revision 6089\n", exitCode: 0)
    )
    #expect(lab.run("192.168.1.11", "version").stdout == "MicroK8s v1.32.3 revision 7964\n")
  }

  @Test("a down host fails every command like an unreachable ssh host")
  func down() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(2)))
    for arguments in [["version"], ["status"], ["leave"], ["kubectl", "get", "nodes"]] {
      #expect(
        lab.run(Lab.address(2), arguments: arguments)
          == CommandOutcome(
            stderr: "ssh: connect to host 192.168.1.11 port 22: Connection refused\n",
            exitCode: 255
          )
      )
    }
    #expect(lab.members().contains("192.168.1.11:19001 voter"))
    #expect(lab.readiness(of: "node2") == .unknown)
    #expect(lab.apply(.up, to: Lab.address(2)))
    #expect(lab.readiness(of: "node2") == .ready)
    #expect(lab.run(Lab.address(2), "version").exitCode == 0)
  }

  @Test("stop and start: NotReady while stopped, back when started")
  func stopStart() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.run(Lab.address(3), "stop") == CommandOutcome(stdout: "Stopped.\n", exitCode: 0))
    #expect(lab.readiness(of: "node3") == .unknown)
    #expect(lab.run(Lab.address(3), "start").exitCode == 0)
    #expect(lab.readiness(of: "node3") == .ready)
  }

  @Test("a kubelet that starts again registers a deleted Node, as a worker where it is one")
  func startRegistersDeletedNode() {
    let lab = Lab.cluster(controlPlanes: 3, workers: 1)
    let worker = lab.cluster(of: Lab.contact).nodes.first { $0.worker }
    #expect(lab.run(Lab.contact, "kubectl", "delete", "node", "node3").exitCode == 0)
    if let worker {
      #expect(lab.run(Lab.contact, "kubectl", "delete", "node", worker.name).exitCode == 0)
    }
    #expect(lab.readiness(of: "node3") == nil)
    // Still a datastore member, and still running: nothing brings the Node back...
    #expect(lab.members().contains("192.168.1.12:19001 voter"))
    #expect(lab.run(Lab.address(3), "stop").exitCode == 0)
    #expect(lab.readiness(of: "node3") == nil)
    // ...until its kubelet starts again.
    #expect(lab.run(Lab.address(3), "start").exitCode == 0)
    #expect(lab.readiness(of: "node3") == .ready)
    #expect(lab.cluster(of: Lab.contact).nodes.first { $0.name == "node3" }?.worker == false)
    if let worker {
      #expect(lab.apply(.down, to: worker.host))
      #expect(lab.apply(.up, to: worker.host))
      #expect(lab.cluster(of: Lab.contact).nodes.first { $0.host == worker.host }?.worker == true)
    }
  }

  @Test("an unknown subcommand is named, the list printed, exit 1")
  func unknownSubcommand() {
    let lab = Lab(nodes: 1)
    let outcome = lab.run(Lab.contact, "frobnicate")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stdout.lines[0] == "'frobnicate' is not a valid MicroK8s subcommand.")
    #expect(outcome.stdout.lines[1] == "Available subcommands are:")
    #expect(outcome.stdout.contains("\tadd-node\n"))
    #expect(lab.run(Lab.contact, "help").exitCode == 0)
    #expect(lab.run(Lab.contact, arguments: []).exitCode == 1)
  }

  @Test("permissions: the usermod hint names the user, on standard error")
  func permissions() {
    let lab = Lab(nodes: 1)
    lab.fault(Lab.contact, "any", .permissionDenied)
    let outcome = lab.run(Lab.contact, "status")
    #expect(outcome.exitCode == 1)
    #expect(outcome.stdout.isEmpty)
    #expect(outcome.stderr.lines[0] == "Insufficient permissions to access MicroK8s.")
    #expect(outcome.stderr.contains("    sudo usermod -a -G microk8s ops\n"))
    #expect(lab.run(Lab.contact, "status").exitCode == 0)
  }

  @Test("not installed: command not found, exit 127")
  func notInstalled() {
    let lab = Lab(nodes: 1)
    lab.fault(Lab.contact, "any", .notInstalled, times: nil)
    for _ in 0..<2 {
      #expect(
        lab.run(Lab.contact, "version")
          == CommandOutcome(stderr: "bash: line 1: microk8s: command not found\n", exitCode: 127)
      )
    }
  }

  @Test("reinstall gives a fresh standalone node with a new certificate")
  func reinstall() {
    let lab = Lab.cluster(controlPlanes: 3)
    let fingerprint = lab.host(Lab.address(3)).fingerprint
    #expect(lab.apply(.reinstall, to: Lab.address(3)))
    #expect(lab.host(Lab.address(3)).mode == .standalone)
    #expect(lab.host(Lab.address(3)).fingerprint != fingerprint)
    #expect(lab.members().count == 3)
    #expect(lab.readiness(of: "node3") == .unknown)
  }

  @Test("refresh changes the version and the Node's kubelet version")
  func refresh() {
    let lab = Lab(nodes: 1)
    #expect(lab.apply(.refresh(track: "1.29"), to: Lab.contact))
    #expect(lab.run(Lab.contact, "version").stdout == "MicroK8s v1.29.15 revision 7051\n")
    #expect(lab.cluster(of: Lab.contact).nodes[0].kubeletVersion == "v1.29.15")
  }

  @Test("host actions parse from words")
  func actionWords() {
    #expect(HostAction.parse(["down"]) == .down)
    #expect(HostAction.parse(["low-memory"]) == .lowMemory(true))
    #expect(HostAction.parse(["refresh", "1.30"]) == .refresh(track: "1.30"))
    #expect(HostAction.parse(["refresh", "latest"]) == nil)
    #expect(HostAction.parse(["sideways"]) == nil)
  }

  @Test("host specs: address, hostname, optional track")
  func hostSpecs() throws {
    #expect(
      try HostSpec.parse("10.0.0.1=n1").get() == HostSpec(address: "10.0.0.1", hostname: "n1")
    )
    #expect(
      try HostSpec.parse("10.0.0.1=N1:1.30-strict").get()
        == HostSpec(address: "10.0.0.1", hostname: "N1", track: "1.30-strict")
    )
    for bad in ["10.0.0.1", "10.0.0=n1", "10.0.0.01=n1", "10.0.0.1=n_1", "10.0.0.1=n1:one"] {
      #expect(throws: HostSpec.SpecError.self) { try HostSpec.parse(bad).get() }
    }
  }
}
