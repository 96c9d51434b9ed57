import Testing

@testable import MicroK8sSimulator

/// The asynchrony settings: Ready after a delay, roles adjusted after a delay.
@Suite("settings")
struct SettingsTests {
  @Test("a joined node is NotReady for the ready delay")
  func readyDelay() {
    let lab = Lab(nodes: 2)
    lab.world.settings.readyDelay = 5
    lab.join(Lab.address(2))
    #expect(lab.readiness(of: "node2") == .notReady)
    lab.now += 4.9
    #expect(lab.readiness(of: "node2") == .notReady)
    lab.now += 0.2
    #expect(lab.readiness(of: "node2") == .ready)
  }

  @Test("a host coming back up is NotReady for the ready delay")
  func readyDelayAfterUp() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.world.settings.readyDelay = 2
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(lab.apply(.up, to: Lab.address(3)))
    #expect(lab.readiness(of: "node3") == .notReady)
    lab.now += 2
    #expect(lab.readiness(of: "node3") == .ready)
  }

  @Test("a third member promotes itself and one more at once (go-dqlite Assume)")
  func joinerPromotesItself() {
    let lab = Lab(nodes: 4)
    lab.world.settings.rebalanceDelay = 10
    lab.join(Lab.address(2))
    #expect(lab.roleCounts() == [.voter: 1, .spare: 1])
    lab.join(Lab.address(3))
    #expect(lab.roleCounts() == [.voter: 3])
    lab.join(Lab.address(4))
    #expect(lab.roleCounts() == [.voter: 3, .standby: 1])
  }

  @Test("after a shrink from three, two voters stay until the rebalance delay has passed")
  func twoVoterWindow() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.world.settings.rebalanceDelay = 30
    #expect(lab.run(Lab.address(3), "leave").exitCode == 0)
    #expect(lab.roleCounts() == [.voter: 2])
    lab.now += 29
    lab.run(Lab.contact, "version")
    #expect(lab.roleCounts() == [.voter: 2])
    lab.now += 1
    lab.run(Lab.contact, "version")
    #expect(lab.roleCounts() == [.voter: 1, .spare: 1])
  }

  @Test("leaving one of two voters freezes the datastore and leaves the leaver stopped")
  func leavingOneOfTwoVoters() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.world.settings.rebalanceDelay = 30
    #expect(lab.run(Lab.address(3), "leave").exitCode == 0)
    let left = lab.run(Lab.address(2), "leave")
    #expect(left.exitCode == 2)
    #expect(left.stdout.contains("Contacting node 192.168.1.10:19001 failed. Error:"))
    #expect(!lab.host(Lab.address(2)).running)
    #expect(!lab.world.hasQuorum(lab.cluster(of: Lab.contact)))
    #expect(lab.members().count == 2)
    // The leader cannot adjust roles without a quorum, however long it waits.
    lab.now += 60
    lab.run(Lab.contact, "version")
    #expect(lab.roleCounts() == [.voter: 2])
  }

  @Test("a voter leaving while another voter is down freezes the datastore")
  func leavingWithAVoterDown() {
    let lab = Lab.cluster(controlPlanes: 3)
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(lab.run(Lab.address(2), "leave").exitCode == 2)
    #expect(!lab.world.hasQuorum(lab.cluster(of: Lab.contact)))
  }

  @Test("a down host's Node stays Ready for the node-monitor grace, then turns Unknown")
  func nodeMonitorGrace() {
    let lab = Lab.cluster(controlPlanes: 3)
    lab.world.settings.nodeMonitorGrace = 40
    #expect(lab.apply(.down, to: Lab.address(3)))
    #expect(lab.readiness(of: "node3") == .ready)
    #expect(
      !lab.world.isOnline(lab.cluster(of: Lab.contact).members[2], in: lab.cluster(of: Lab.contact))
    )
    lab.now += 39
    #expect(lab.readiness(of: "node3") == .ready)
    lab.now += 1
    #expect(lab.readiness(of: "node3") == .unknown)
    #expect(lab.apply(.up, to: Lab.address(3)))
    #expect(lab.readiness(of: "node3") == .ready)
    lab.run(Lab.address(2), "stop")
    #expect(lab.readiness(of: "node2") == .ready)
    lab.now += 40
    #expect(lab.readiness(of: "node2") == .unknown)
  }

  @Test("MicroK8s's delays are the defaults: 30 s role adjustments, 40 s grace")
  func realisticDefaults() {
    let settings = SimulatorSettings()
    #expect(settings.readyDelay == 0)
    #expect(settings.rebalanceDelay == 30)
    #expect(settings.nodeMonitorGrace == 40)
    #expect(settings.description == "ready-delay=0s rebalance-delay=30s node-monitor-grace=40s")
  }

  @Test("kubectl wait answers when the node turns Ready, or times out, or says NotFound")
  func kubectlWait() {
    let lab = Lab(nodes: 2)
    lab.world.settings.readyDelay = 3
    lab.join(Lab.address(2))
    let wait = ["kubectl", "wait", "--for=condition=Ready", "node/node2"]
    let timedOut = lab.run(Lab.contact, arguments: wait + ["--timeout=2s"])
    #expect(timedOut.exitCode == 1)
    #expect(timedOut.stderr == "error: timed out waiting for the condition on nodes/node2\n")
    #expect(timedOut.pause == 2)
    let met = lab.run(Lab.contact, arguments: wait + ["--timeout=10s"])
    #expect(met.exitCode == 0 && met.stdout == "node/node2 condition met\n")
    #expect(met.pause == 3, "it answers at the moment the node turns Ready")
    lab.now += 3
    let already = lab.run(Lab.contact, arguments: wait + ["--timeout=1s"])
    #expect(already.exitCode == 0 && already.pause == 0)
    let missing = lab.run(
      Lab.contact,
      arguments: ["kubectl", "wait", "--for=condition=Ready", "node/nodeX"]
    )
    #expect(missing.exitCode == 1)
    #expect(missing.stderr == "Error from server (NotFound): nodes \"nodeX\" not found\n")
  }

  @Test("status --wait-ready waits for the node to turn Ready, or for the timeout")
  func waitReady() {
    let lab = Lab(nodes: 1)
    lab.world.settings.readyDelay = 3
    lab.run(Lab.contact, "stop")
    lab.run(Lab.contact, "start")
    #expect(lab.run(Lab.contact, "status").exitCode == 1)
    let timedOut = lab.run(Lab.contact, "status", "--wait-ready", "--timeout", "1")
    #expect(timedOut.exitCode == 1)
    #expect(timedOut.pause == 1)
    let waited = lab.run(Lab.contact, "status", "-w")
    #expect(waited.exitCode == 0)
    #expect(waited.pause == 3)
    #expect(waited.stdout.hasPrefix("microk8s is running\n"))
  }

  @Test(
    "durations",
    arguments: [("0", 0.0), ("1.5", 1.5), ("500ms", 0.5), ("2s", 2), ("1m", 60)]
  )
  func durations(text: String, seconds: Double) {
    #expect(SimulatorSettings.parseDuration(text) == seconds)
  }

  @Test("bad settings are named")
  func badSettings() {
    var settings = SimulatorSettings()
    #expect(settings.apply("ready-delay=soon")?.contains("invalid duration") == true)
    #expect(settings.apply("speed=2s")?.contains("unknown setting") == true)
    #expect(settings.apply("ready-delay") != nil)
    #expect(settings.apply("rebalance-delay=1500ms") == nil)
    #expect(
      settings.description == "ready-delay=0s rebalance-delay=1500ms node-monitor-grace=40s"
    )
  }
}
