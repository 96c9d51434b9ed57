import Foundation
import Testing

/// `apply` on a terminal: the live progress line (the prompt's answers are tested in
/// `ApplyScenarioTests`).
@Suite("apply on a terminal")
struct ApplyTerminalTests {
  @Test("'yes' applies, with a live line that shows what the step waits for")
  func confirmedWithLiveLine() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    // node2 stays NotReady for 2 s after it joins: the live line has a wait to show.
    await lab.sim(["settings", "ready-delay=2s"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let result = await lab.applyInTerminal(file, answer: "yes")
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(output)")
    #expect(output.contains("Apply this change to cluster lab? Only 'yes' will be accepted:"))
    #expect(output.contains("\r\u{1B}[K      2/2 on node2: waiting for node2 Ready"), "\(output)")
    #expect(
      output.contains(
        "\r\u{1B}[K      2/2 on node2: microk8s join 192.168.1.10:25000/<token>  ok"
      )
    )
    #expect(output.contains("Apply complete: 1 change in"))
    lab.expectNoSecrets()
  }
}
