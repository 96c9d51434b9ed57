import Foundation
import Testing

@testable import MicroK8sSimulator

/// The `microk8s-sim` command line, run in-process against a real state directory.
@Suite("microk8s-sim command line")
struct CommandLineTests {
  let state: StateDirectory
  let now = 1_700_000_000.0

  init() throws {
    state = try StateDirectory()
  }

  func sim(_ arguments: String..., environment: [String: String] = [:]) -> CommandOutcome {
    SimulatorCommandLine.run(arguments, environment: environment, now: now)
  }

  func initialize() {
    let outcome = sim(
      "--state",
      state.path,
      "init",
      "--host",
      "192.168.1.10=node1",
      "--host",
      "192.168.1.11=node2:1.32"
    )
    #expect(
      outcome
        == CommandOutcome(
          stdout: "Created a world of 2 standalone hosts in \(state.path).\n",
          exitCode: 0
        )
    )
  }

  @Test("init, then MicroK8s commands on a host chosen by --host")
  func hostOption() {
    initialize()
    #expect(
      sim("--state", state.path, "--host", "192.168.1.11", "version").stdout
        == "MicroK8s v1.32.3 revision 7964\n"
    )
    #expect(
      sim("--host=192.168.1.10", "--state=\(state.path)", "version").stdout.hasPrefix(
        "MicroK8s v1.28.3"
      )
    )
  }

  @Test("without --host the host is the server address of SSH_CONNECTION")
  func sshConnection() {
    initialize()
    let outcome = sim(
      "--state",
      state.path,
      "version",
      environment: ["SSH_CONNECTION": "10.0.0.9 51234 192.168.1.11 22"]
    )
    #expect(outcome.stdout == "MicroK8s v1.32.3 revision 7964\n")
    #expect(sim("--state", state.path, "version").exitCode == 64)
    #expect(
      sim(
        "version",
        environment: ["MICROK8S_SIM_STATE": state.path, "SSH_CONNECTION": "a 1 192.168.1.10 22"]
      ).exitCode == 0
    )
  }

  @Test("state changes persist between commands")
  func persistence() throws {
    initialize()
    let check = sim(
      "--state",
      state.path,
      "--host",
      "192.168.1.10",
      "add-node",
      "--token",
      Lab.token,
      "--format",
      "token-check"
    )
    #expect(check.exitCode == 0)
    let url = "192.168.1.10:25000/" + check.stdout.trimmingSuffix("\n")
    #expect(sim("--state", state.path, "--host", "192.168.1.11", "join", url).exitCode == 0)
    let status = sim("--state", state.path, "--host", "192.168.1.10", "status", "--format", "yaml")
    #expect(status.stdout.contains("    - address: 192.168.1.11:19001\n      role: spare\n"))
  }

  @Test("show prints the world as JSON without the tokens")
  func show() throws {
    initialize()
    _ = sim("--state", state.path, "--host", "192.168.1.10", "add-node", "--token", Lab.token)
    let outcome = sim("--state", state.path, "show")
    #expect(outcome.exitCode == 0)
    #expect(!outcome.stdout.contains(Lab.token))
    #expect(try state.worldFile().contains(Lab.token))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
    )
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    #expect(hosts.map { $0["address"] as? String } == ["192.168.1.10", "192.168.1.11"])
    let tokens = try #require(hosts[0]["tokens"] as? [[String: Any]])
    #expect(tokens.count == 1)
    #expect(tokens[0]["singleUse"] as? Bool == true)
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    #expect(clusters.count == 2)
  }

  @Test("settings: change some, print all")
  func settings() {
    initialize()
    #expect(
      sim("--state", state.path, "settings", "ready-delay=2s", "rebalance-delay=1s")
        == CommandOutcome(
          stdout: "ready-delay=2s rebalance-delay=1s node-monitor-grace=40s\n",
          exitCode: 0
        )
    )
    #expect(
      sim("--state", state.path, "settings", "node-monitor-grace=50s").stdout
        == "ready-delay=2s rebalance-delay=1s node-monitor-grace=50s\n"
    )
    #expect(sim("--state", state.path, "settings", "ready-delay=fast").exitCode == 64)
  }

  @Test("host and fault commands change the world; bad ones are usage errors")
  func hostAndFault() {
    initialize()
    #expect(sim("--state", state.path, "host", "192.168.1.11", "down").exitCode == 0)
    #expect(sim("--state", state.path, "--host", "192.168.1.11", "version").exitCode == 255)
    #expect(sim("--state", state.path, "host", "192.168.1.99", "down").exitCode == 64)
    #expect(sim("--state", state.path, "host", "192.168.1.11", "sideways").exitCode == 64)
    #expect(
      sim(
        "--state",
        state.path,
        "fault",
        "192.168.1.10",
        "status",
        "status-not-ready",
        "--times",
        "2"
      ).exitCode == 0
    )
    #expect(sim("--state", state.path, "--host", "192.168.1.10", "status").exitCode == 1)
    #expect(sim("--state", state.path, "fault", "clear").exitCode == 0)
    #expect(sim("--state", state.path, "--host", "192.168.1.10", "status").exitCode == 0)
    #expect(
      sim("--state", state.path, "fault", "192.168.1.10", "join", "status-not-ready").exitCode == 64
    )
    #expect(
      sim("--state", state.path, "fault", "192.168.1.10", "any", "no-such-fault").exitCode == 64
    )
    #expect(sim("--state", state.path, "fault", "192.168.1.99", "any", "hang").exitCode == 64)
    #expect(
      sim("--state", state.path, "fault", "192.168.1.10", "any", "hang", "--times", "0").exitCode
        == 64
    )
  }

  @Test("usage errors and missing worlds")
  func errors() throws {
    #expect(sim("version").exitCode == 64)
    #expect(sim("--state").exitCode == 64)
    #expect(sim("--state", state.path, "show").exitCode == 66)
    #expect(sim("--state", state.path, "init").exitCode == 64)
    #expect(sim("--state", state.path, "init", "--host", "nonsense").exitCode == 64)
    #expect(
      sim("--state", state.path, "init", "--host", "10.0.0.1=a", "--host", "10.0.0.1=b").exitCode
        == 64
    )
    initialize()
    #expect(sim("--state", state.path, "--host", "10.9.9.9", "version").exitCode == 64)
    try "{".write(toFile: state.path + "/world.json", atomically: true, encoding: .utf8)
    #expect(sim("--state", state.path, "show").exitCode == 65)
  }

  @Test("help and the fault table need no state")
  func help() {
    #expect(
      sim("--help").stdout.contains(
        "microk8s-sim --state DIR init --host ADDRESS=HOSTNAME[:TRACK|:bare]"
      )
    )
    let table = sim("faults").stdout
    for kind in FaultKind.allCases {
      #expect(table.contains("\n\(kind.rawValue) "), "\(kind.rawValue) missing from the table")
    }
  }
}
