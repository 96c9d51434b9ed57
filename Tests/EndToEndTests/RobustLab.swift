import Foundation
import Glibc
import SSHTestSupport
import Testing

/// A simulated homelab for interrupted applies: node1…node3 mixed and worker1, fresh
/// standalone hosts.
///
/// Run locally, microk8s-sim stands behind a wrapper that takes 0.5 s before each
/// add-node and join, a window to act while one is in flight, and logs each one: verb,
/// host and exit status, never the arguments, which hold the token.
struct RobustLab {
  static let joins = ["node2", "node3", "worker1"]
  static let names = ["node1"] + joins
  static let addresses = ["192.168.1.10", "192.168.1.11", "192.168.1.12", "192.168.1.20"]
  static func address(_ name: String) -> String { addresses[names.firstIndex(of: name) ?? 0] }

  let directory: TemporaryDirectory
  let bin: String
  var topology: String { path("topology.yaml") }
  var state: String { path("state") }
  var world: String { path("world") }
  func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

  private init(
    _ addresses: [String],
    ports: [Int]?,
    defaults: (RobustLab) throws -> String
  )
    async throws
  {
    directory = try TemporaryDirectory()
    bin = try Paths.mktopoBinary().deletingLastPathComponent().path
    var nodes = ""
    for (index, name) in Self.names.enumerated() {
      let role = name.hasPrefix("worker") ? "worker" : "mixed"
      let port = ports.map { ", connection: {port: \($0[index])}" } ?? ""
      nodes += "  - {name: \(name), address: \(addresses[index]), role: \(role)\(port)}\n"
    }
    let header =
      "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: homelab, version: \"1.28\"}\n"
    try directory.write("topology.yaml", header + (try defaults(self)) + "nodes:\n" + nodes)
    let hosts = zip(addresses, Self.names).flatMap { ["--host", "\($0)=\($1)"] }
    _ = try await simulate(["init"] + hosts)
    _ = try await simulate(["settings", "rebalance-delay=0", "node-monitor-grace=0"])
  }

  /// Local commands through the wrapper.
  static func local(readyDelay: String = "2s") async throws -> RobustLab {
    let lab = try await RobustLab(addresses, ports: nil) { lab in
      let wrapper = try lab.directory.write(
        "microk8s",
        """
        #!/bin/sh
        case "$3" in
          add-node|join)
            sleep 0.5
            \(lab.bin)/microk8s-sim "$@"
            status=$?
            echo "$3 $2 $status" >> \(lab.path("commands.log"))
            exit $status ;;
        esac
        exec \(lab.bin)/microk8s-sim "$@"

        """
      )
      chmod(wrapper, 0o755)
      return
        "defaults:\n  connection: {type: local}\n  microk8s: [\"\(wrapper)\", \"--host\", \"{address}\"]\n"
    }
    _ = try await lab.simulate(["settings", "ready-delay=\(readyDelay)"])
    return lab
  }

  /// Four real sshd servers, microk8s-sim behind each.
  static func overSSH(_ sshd: TestSSHD) async throws -> RobustLab {
    let lab = try await RobustLab(sshd.servers.map(\.address), ports: sshd.servers.map(\.port)) {
      """
      defaults:
        connection:
          type: ssh
          user: root
          identityFile: \(sshd.clientKey)
          knownHostsFile: \(sshd.knownHosts)
          hostKeyChecking: strict
        microk8s: ["\($0.bin)/microk8s-sim", "--state", "\($0.world)"]

      """
    }
    _ = try await lab.simulate(["settings", "ready-delay=1s"])
    return lab
  }

  /// `mktopo apply --auto-approve`, started.
  func start() throws -> ApplyProcess {
    try start("mktopo", ["apply", "-f", topology, "--auto-approve", "--state-dir", state])
  }

  func start(_ program: String, _ arguments: [String]) throws -> ApplyProcess {
    try ApplyProcess.start(
      bin + "/" + program,
      arguments,
      environment: ["MICROK8S_SIM_STATE": world],
      outputPrefix: path("\(program)-\(UUID())")
    )
  }

  func apply() async throws -> ApplyProcess.Output {
    try await mktopo(["apply", "-f", topology, "--auto-approve"])
  }

  func mktopo(_ arguments: [String]) async throws -> ApplyProcess.Output {
    try await start("mktopo", arguments + ["--state-dir", state]).finish()
  }

  func simulate(_ arguments: [String]) async throws -> String {
    let result = try await start("microk8s-sim", ["--state", world] + arguments).finish()
    try #require(result.end == .exited(0), "microk8s-sim \(arguments): \(result.stderr)")
    return result.stdout
  }

  /// Polls `condition` while `process` runs (hang guard: 60 s); whether it came true.
  func waitUntil(_ process: ApplyProcess, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline, process.poll() == nil {
      if condition() { return true }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
  }

  func text(_ file: String) -> String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }

  /// The step in flight, as the journal names it.
  func journal() -> (node: String, step: Int)? {
    let data = Data(text(state + "/homelab.journal.json").utf8)
    guard let entry = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let node = entry["node"] as? String, let step = entry["stepIndex"] as? Int
    else { return nil }
    return (node, step)
  }

  /// How far the journal is into the plan: step 1…6, 0 before the first.
  func position() -> Int {
    journal().map { (Self.joins.firstIndex(of: $0.node) ?? 9) * 2 + $0.step } ?? 0
  }

  func lockFile() -> String { text(state + "/homelab.lock") }

  /// The wrapper's log: `[verb, address, exit status]` per add-node and join.
  func log() -> [[String]] {
    text(path("commands.log")).lines.map { $0.split(separator: " ").map(String.init) }
  }

  /// Whether the wrapper logged a join of `node` that succeeded.
  func joined(_ node: String) -> Bool { log().contains(["join", Self.address(node), "0"]) }
}
