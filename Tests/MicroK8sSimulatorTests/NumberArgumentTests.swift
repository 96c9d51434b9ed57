import Testing

@testable import MicroK8sSimulator

/// Numbers on the simulator's command lines longer than any integer type: MicroK8s's
/// Python reads them as numbers, and the simulator answers without an arithmetic trap.
@Suite("simulator: long numbers in arguments")
struct NumberArgumentTests {
  static let twenty = "99999999999999999999"

  @Test("add-node --token-ttl near or past Int.max mints a token that does not expire")
  func tokenTTL() {
    for ttl in [String(Int.max), Self.twenty, String(repeating: "9", count: 400)] {
      let lab = Lab(nodes: 2)
      let minted = lab.run(
        Lab.contact,
        "add-node",
        "--token",
        Lab.token,
        "--token-ttl",
        ttl,
        "--format",
        "token-check"
      )
      #expect(minted.exitCode == 0, "\(ttl.prefix(30)): \(minted)")
      lab.now += 365 * 24 * 3600
      let check = minted.stdout.trimmingSuffix("\n")
      let joined = lab.run(Lab.address(2), "join", "\(Lab.contact):25000/\(check)")
      #expect(joined.exitCode == 0, "\(ttl.prefix(30)): \(joined)")
    }
  }

  @Test("a hugely negative --token-ttl is a token that has already expired")
  func negativeTokenTTL() {
    let lab = Lab(nodes: 2)
    let minted = lab.run(
      Lab.contact,
      "add-node",
      "--token",
      Lab.token,
      "--token-ttl",
      "-" + Self.twenty,
      "--format",
      "token-check"
    )
    #expect(minted.exitCode == 0, "\(minted)")
    let check = minted.stdout.trimmingSuffix("\n")
    #expect(lab.run(Lab.address(2), "join", "\(Lab.contact):25000/\(check)").exitCode != 0)
  }

  @Test("status --wait-ready with a long --timeout pauses an hour at most")
  func statusTimeout() {
    let lab = Lab(nodes: 1)
    for timeout in [String(Int.max), Self.twenty] {
      lab.world.faults.append(
        Fault(address: Lab.contact, verb: "status", kind: .statusNotReady, remaining: 1)
      )
      let waited = lab.run(Lab.contact, "status", "--wait-ready", "--timeout", timeout)
      #expect(waited.exitCode == 1, "\(waited)")
      #expect(waited.pause == CommandOutcome.longestPause)
    }
  }

  @Test("kubectl wait with an endless --timeout pauses an hour at most")
  func kubectlWaitTimeout() {
    let lab = Lab(nodes: 2)
    lab.join(Lab.address(2))
    #expect(lab.apply(.down, to: Lab.address(2)))
    let wait = ["kubectl", "wait", "--for=condition=Ready", "node/node2"]
    for timeout in ["\(Self.twenty)h", String(repeating: "9", count: 400) + "s"] {
      let waited = lab.run(Lab.contact, arguments: wait + ["--timeout=\(timeout)"])
      #expect(waited.exitCode == 1, "\(waited)")
      #expect(waited.pause == CommandOutcome.longestPause)
    }
  }

  @Test("a settings delay past an hour is refused with the limit")
  func settingsDelay() throws {
    let state = try StateDirectory()
    let now = 1_700_000_000.0
    let created = SimulatorCommandLine.run(
      ["--state", state.path, "init", "--host", "192.168.1.10=node1"],
      environment: [:],
      now: now
    )
    #expect(created.exitCode == 0)
    for value in ["\(Self.twenty)s", "\(Self.twenty)m", String(repeating: "9", count: 400), "61m"] {
      let outcome = SimulatorCommandLine.run(
        ["--state", state.path, "settings", "ready-delay=\(value)"],
        environment: [:],
        now: now
      )
      #expect(outcome.exitCode == 64, "\(outcome)")
      #expect(outcome.stderr.contains("a delay may be at most 60m"), "\(outcome.stderr)")
    }
    let hour = SimulatorCommandLine.run(
      ["--state", state.path, "settings", "rebalance-delay=60m"],
      environment: [:],
      now: now
    )
    #expect(hour.stdout == "ready-delay=0s rebalance-delay=3600s node-monitor-grace=40s\n")
  }

  @Test("a join URL with a long port is out of range, as Python reads it")
  func joinPort() {
    let lab = Lab("192.168.1.10=node1:1.32", "192.168.1.11=node2:1.32", "192.168.1.12=node3:1.28")
    let check = lab.mint()
    let validated = lab.run("192.168.1.11", "join", "192.168.1.10:\(Self.twenty)/\(check)")
    #expect(validated.exitCode == 1)
    #expect(validated.stdout.contains("Master PORT not in range 1:65535"), "\(validated)")
    let unvalidated = lab.run("192.168.1.12", "join", "192.168.1.10:\(Self.twenty)/\(check)")
    #expect(unvalidated.exitCode == 1)
    #expect(unvalidated.stderr.contains("OverflowError"), "\(unvalidated)")
  }

  @Test("fault --times with a long count is a fault that keeps firing")
  func faultTimes() throws {
    let state = try StateDirectory()
    let now = 1_700_000_000.0
    func sim(_ arguments: String...) -> CommandOutcome {
      SimulatorCommandLine.run(["--state", state.path] + arguments, environment: [:], now: now)
    }
    #expect(sim("init", "--host", "192.168.1.10=node1").exitCode == 0)
    #expect(
      sim("fault", "192.168.1.10", "status", "status-not-ready", "--times", Self.twenty).exitCode
        == 0
    )
    for _ in 0..<3 {
      #expect(sim("--host", "192.168.1.10", "status").exitCode == 1)
    }
  }
}
