import Foundation
import Glibc
import Testing

/// Apply and its terminal: a reader that goes away, and a Ctrl-C at the prompt.
@Suite("apply: a closed output, and Ctrl-C at the prompt")
struct ApplySignalTests {
  @Test("a closed output (| grep -m1) ends apply after the step in flight, never inside it")
  func closedOutput() async throws {
    let lab = try await RobustLab.local()
    let status = lab.path("apply.status")
    // grep exits at the first line of node2's wait, closing apply's standard output
    // while the join waits for node2 to turn Ready.
    let script =
      "\"$1\" apply -f \"$2\" --auto-approve --state-dir \"$3\" 2>\"$4\" "
      + "| grep -m1 'waiting for node2'; echo \"${PIPESTATUS[0]}\" > \"$5\""
    let run = try ApplyProcess.start(
      "/bin/bash",
      [
        "-c", script, "bash", lab.bin + "/mktopo", lab.topology, lab.state,
        lab.path("apply.stderr"), status,
      ],
      environment: ["MICROK8S_SIM_STATE": lab.world],
      outputPrefix: lab.path("bash")
    )
    let end = await run.wait()
    #expect(end == .exited(0), "\(run.output().stderr)")
    let exit = try String(contentsOfFile: status, encoding: .utf8)
    let stderr = try String(contentsOfFile: lab.path("apply.stderr"), encoding: .utf8)
    #expect(exit.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(stderr)")
    #expect(
      stderr.contains("Stopped by a closed output (EPIPE) after 1 change"),
      "\(stderr)"
    )
    #expect(!stderr.contains("Fatal error"), "\(stderr)")
    try await lab.expectMembership(joined: ["node2"], voters: nil)
    #expect(lab.log().map { $0.first ?? "" } == ["add-node", "join"], "no next change started")
    #expect(lab.journal() == nil, "the join ran to its end")

    let again = try await lab.apply()
    #expect(again.end == .exited(0), "\(again.stderr)")
    try await lab.expectMembership(joined: RobustLab.joins, voters: 3)
  }

  @Test("Ctrl-C at the prompt cancels at once: a 'yes' typed after it applies nothing")
  func interruptAtPrompt() async throws {
    let lab = try await ApplyLab(["node1", "node2"])
    let file = try lab.topology([.mixed("node1"), .mixed("node2")])
    let before = try await lab.world()
    // On the terminal script(1) makes, ^C is SIGINT for mktopo, sent while it waits at
    // the prompt; the 'yes' comes later, once it would have been read.
    let result = await lab.applyInTerminal(file, typing: [(1.5, "\u{03}"), (2.0, "yes\n")])
    let output = result.stdout + result.stderr
    #expect(output.contains("Only 'yes' will be accepted:"), "\(output)")
    #expect(output.contains("Apply cancelled by SIGINT; nothing was changed."), "\(output)")
    #expect(!output.contains("Applying to cluster"), "\(output)")
    #expect(try await lab.world().nodes(of: "node1") == before.nodes(of: "node1"))
    #expect(try await lab.world().cluster(of: "node2")?.nodes.map(\.name) == ["node2"])
  }
}
