import Foundation
import Testing

@testable import MicroK8sSimulator

/// `microk8s-sim pod` and `pdb`, run in-process against a real state directory.
@Suite("microk8s-sim pod and pdb")
struct WorkloadCommandTests {
  let state: StateDirectory
  let now = 1_700_000_000.0

  init() throws {
    state = try StateDirectory()
  }

  @discardableResult
  func sim(_ arguments: String...) -> CommandOutcome {
    SimulatorCommandLine.run(["--state", state.path] + arguments, environment: [:], now: now)
  }

  func cluster() throws -> [String: Any] {
    let shown = sim("show")
    let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8))
    let world = try #require(object as? [String: Any])
    let clusters = try #require(world["clusters"] as? [[String: Any]])
    return try #require(clusters.first)
  }

  @Test("pods and budgets are added, replaced and deleted, and show lists them")
  func addAndShow() throws {
    sim("init", "--host", "192.168.1.10=node1")
    #expect(sim("pod", "add", "default/web-0", "--on", "node1", "--app", "web").exitCode == 0)
    #expect(sim("pod", "add", "kube-system/cni-a", "--on", "node1", "--daemonset").exitCode == 0)
    #expect(
      sim("pod", "add", "default/tmp", "--on", "node1", "--naked", "--emptydir").exitCode == 0
    )
    let add = ["pdb", "add", "default/web", "--on", "node1", "--app", "web", "--min-available"]
    #expect(
      SimulatorCommandLine.run(["--state", state.path] + add + ["2"], environment: [:], now: now)
        .exitCode == 0
    )
    #expect(
      SimulatorCommandLine.run(["--state", state.path] + add + ["1"], environment: [:], now: now)
        .exitCode == 0
    )
    var shown = try cluster()
    let pods = try #require(shown["pods"] as? [[String: Any]])
    #expect(pods.compactMap { $0["name"] as? String } == ["web-0", "cni-a", "tmp"])
    #expect(pods.compactMap { $0["owner"] as? String } == ["replicaSet", "daemonSet", "none"])
    #expect(pods.compactMap { $0["emptyDir"] as? Bool } == [false, false, true])
    let budgets = try #require(shown["budgets"] as? [[String: Any]])
    #expect(budgets.count == 1)
    #expect(budgets.first?["minAvailable"] as? Int == 1)
    #expect(sim("pdb", "delete", "default/web", "--on", "node1").exitCode == 0)
    shown = try cluster()
    #expect((shown["budgets"] as? [Any])?.isEmpty == true)
  }

  @Test(
    "usage errors: no such node, malformed names and options",
    arguments: [
      ["pod", "add", "default/web-0", "--on", "node9"],
      ["pod", "add", "web-0", "--on", "node1"],
      ["pod", "add", "default/web-0"],
      ["pod", "add", "default/web-0", "--on", "node1", "--replicas", "3"],
      ["pdb", "add", "default/web", "--on", "node1", "--app", "web"],
      ["pdb", "add", "default/web", "--on", "node1", "--app", "web", "--min-available", "-1"],
      ["pdb", "delete", "default/web", "--on", "node1", "--app", "web"],
      ["pdb", "remove", "default/web", "--on", "node1"],
    ]
  )
  func usage(_ arguments: [String]) {
    sim("init", "--host", "192.168.1.10=node1")
    let outcome = SimulatorCommandLine.run(
      ["--state", state.path] + arguments,
      environment: [:],
      now: now
    )
    #expect(outcome.exitCode == 64, "\(arguments): \(outcome)")
  }
}
