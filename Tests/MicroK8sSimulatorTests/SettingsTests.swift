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

  @Test("the third member stays a spare until the rebalance delay has passed")
  func rebalanceDelay() {
    let lab = Lab(nodes: 3)
    lab.join(Lab.address(2))
    lab.world.settings.rebalanceDelay = 10
    lab.join(Lab.address(3))
    #expect(lab.roleCounts() == [.voter: 1, .spare: 2])
    lab.now += 10
    lab.run(Lab.contact, "version")
    #expect(lab.roleCounts() == [.voter: 3])
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
    #expect(settings.description == "ready-delay=0s rebalance-delay=1500ms")
  }
}
