import Foundation
import Testing

/// The `microk8s-sim` executable as mktopo runs it: separate processes on one state directory.
@Suite("microk8s-sim executable", .serialized)
struct BinaryTests {
  let binary: SimulatorBinary
  let state: StateDirectory
  let scratch: StateDirectory

  init() throws {
    binary = try SimulatorBinary()
    state = try StateDirectory()
    scratch = try StateDirectory()
    let created = try sim(["init", "--host", "192.168.1.10=node1", "--host", "192.168.1.11=node2"])
    #expect(created.status == 0)
  }

  @discardableResult
  func sim(_ arguments: [String], environment: [String: String] = [:]) throws -> SimulatorBinary.Run
  {
    try binary.run(
      ["--state", state.path] + arguments,
      environment: environment,
      scratch: URL(fileURLWithPath: scratch.path)
    )
  }

  @Test("the engine's command forms work end to end")
  func engineCommands() throws {
    let contact = ["--host", "192.168.1.10"]
    #expect(try sim(contact + ["version"]).stdout == "MicroK8s v1.28.3 revision 6089\n")
    let minted = try sim(
      contact + [
        "add-node", "--token", String(repeating: "a", count: 32), "--token-ttl", "600", "--format",
        "token-check",
      ]
    )
    #expect(minted.status == 0)
    let url = "192.168.1.10:25000/" + minted.stdout.trimmingCharacters(in: .newlines)
    let joined = try sim(["--host", "192.168.1.11", "join", url])
    #expect(joined.status == 0, "\(joined.stdout)\(joined.stderr)")
    let status = try sim(contact + ["status", "--format", "yaml"])
    #expect(status.stdout.contains("- address: 192.168.1.11:19001"))
    let nodes = try sim(contact + ["kubectl", "get", "nodes", "-o", "json"])
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(nodes.stdout.utf8)) as? [String: Any]
    )
    #expect((list["items"] as? [Any])?.count == 2)
    #expect(try sim(["--host", "192.168.1.11", "leave"]).status == 0)
    #expect(try sim(contact + ["remove-node", "node2"]).status == 0)
    #expect(try sim(contact + ["remove-node", "192.168.1.11", "--force"]).status == 1)
  }

  @Test("SSH_CONNECTION picks the host when --host is absent")
  func sshConnection() throws {
    try sim(["host", "192.168.1.11", "refresh", "1.30"])
    let run = try sim(
      ["version"],
      environment: ["SSH_CONNECTION": "127.0.0.1 40000 192.168.1.11 22"]
    )
    #expect(run.stdout == "MicroK8s v1.30.14 revision 7480\n")
  }

  @Test("a down host exits 255 with ssh's message on standard error")
  func down() throws {
    #expect(try sim(["host", "192.168.1.11", "down"]).status == 0)
    let run = try sim(["--host", "192.168.1.11", "status"])
    #expect(run.status == 255)
    #expect(run.stderr == "ssh: connect to host 192.168.1.11 port 22: Connection refused\n")
  }

  @Test("show prints JSON that parses")
  func show() throws {
    let run = try sim(["show"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    )
    #expect((json["hosts"] as? [Any])?.count == 2)
  }

  @Test("status --wait-ready waits outside the lock for a node to turn Ready")
  func waitReady() throws {
    try sim(["settings", "ready-delay=1s"])
    try sim(["--host", "192.168.1.10", "stop"])
    try sim(["--host", "192.168.1.10", "start"])
    let started = Date()
    let waited = try sim(["--host", "192.168.1.10", "status", "--wait-ready", "--timeout", "10"])
    #expect(waited.status == 0)
    #expect(Date().timeIntervalSince(started) >= 0.5)
  }

  @Test("30 concurrent commands, ten of them add-node, lose no update and never tear the file")
  func concurrency() throws {
    let scratchURL = URL(fileURLWithPath: scratch.path)
    var started: [SimulatorBinary.Started] = []
    for index in 0..<30 {
      let arguments: [String]
      switch index % 3 {
      case 0: arguments = ["add-node", "--token-ttl", "600", "--format", "token"]
      case 1: arguments = ["status", "--format", "yaml"]
      default: arguments = ["version"]
      }
      started.append(
        try binary.start(
          ["--state", state.path, "--host", "192.168.1.10"] + arguments,
          scratch: scratchURL
        )
      )
    }
    let runs = started.map { $0.wait() }
    #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.filter { $0.status != 0 }.map(\.stderr))")
    let tokens = Set(runs.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.stdout))
    #expect(tokens.count == 10)
    let show = try sim(["show"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
    )
    let hosts = try #require(json["hosts"] as? [[String: Any]])
    #expect((hosts[0]["tokens"] as? [Any])?.count == 10)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: state.path).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
  }
}
