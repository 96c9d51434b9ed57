import Foundation
import Testing

/// `apply` on a terminal: the confirmation prompt and the live progress line.
@Suite("apply on a terminal")
struct ApplyTerminalTests {
  /// A world of two standalone hosts (the second NotReady for 2 s after it joins) and
  /// a topology that joins them; returns the shell command that applies it.
  static func setUp(_ directory: TemporaryDirectory) async throws -> (String, [String: String]) {
    let mktopo = try CommandRunner.mktopo()
    let bin = mktopo.executable.deletingLastPathComponent().path
    let environment = [
      "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "MICROK8S_SIM_STATE": directory.url.appendingPathComponent("world").path,
    ]
    let simulator = CommandRunner(executable: URL(fileURLWithPath: bin + "/microk8s-sim"))
    for arguments in [
      ["init", "--host", "192.168.1.10=node1", "--host", "192.168.1.11=node2"],
      ["settings", "ready-delay=2s"],
    ] {
      let result = await simulator.run(arguments, environment: environment)
      #expect(result.status == 0, "\(result.stderr)")
    }
    let topology = try directory.write(
      "topology.yaml",
      """
      apiVersion: mktopo/v1
      kind: Topology
      cluster: {name: lab, version: "1.28"}
      defaults:
        connection: {type: local}
        microk8s: ["microk8s-sim", "--host", "{address}"]
      nodes:
        - {name: node1, address: 192.168.1.10}
        - {name: node2, address: 192.168.1.11}

      """
    )
    let state = directory.url.appendingPathComponent("state").path
    let command =
      "\(shellQuote(mktopo.executable.path)) apply -f \(shellQuote(topology)) "
      + "--state-dir \(shellQuote(state))"
    return (command, environment)
  }

  /// Runs `command` under a pseudo-terminal with `input` typed in.
  static func underTerminal(
    _ command: String,
    input: String,
    environment: [String: String]
  ) async throws -> (status: Int32, output: String) {
    let script = try #require(which("script"), "util-linux `script` is needed for a terminal")
    let result = await CommandRunner(executable: URL(fileURLWithPath: script))
      .run(["-qec", command, "/dev/null"], stdin: Array(input.utf8), environment: environment)
    return (result.status, result.stdout + result.stderr)
  }

  @Test("'yes' applies, with a live line that shows what the step waits for")
  func confirmedWithLiveLine() async throws {
    let directory = try TemporaryDirectory()
    let (command, environment) = try await Self.setUp(directory)
    let (status, output) = try await Self.underTerminal(
      command,
      input: "yes\n",
      environment: environment
    )
    #expect(status == 0, "\(output)")
    #expect(output.contains("Apply this change to cluster lab? Only 'yes' will be accepted:"))
    #expect(output.contains("\r\u{1B}[K      2/2 on node2: waiting for node2 Ready"), "\(output)")
    #expect(
      output.contains("\r\u{1B}[K      2/2 on node2: microk8s join 192.168.1.10:25000/<token>  ok")
    )
    #expect(output.contains("Apply complete: 1 change in"))
  }

  @Test("anything but 'yes' changes nothing")
  func declined() async throws {
    let directory = try TemporaryDirectory()
    let (command, environment) = try await Self.setUp(directory)
    let (status, output) = try await Self.underTerminal(
      command,
      input: "y\n",
      environment: environment
    )
    #expect(status == 1)
    #expect(output.contains("Apply cancelled; nothing was changed."), "\(output)")
    let plan = try await Self.underTerminal(
      command.replacingOccurrences(of: " apply ", with: " plan "),
      input: "",
      environment: environment
    )
    #expect(plan.output.contains("Plan: 1 to join"), "\(plan.output)")
  }
}
