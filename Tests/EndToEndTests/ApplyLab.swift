import Foundation
import Testing

/// A simulated MicroK8s world for `mktopo apply`'s end-to-end tests: `microk8s-sim init`
/// with the named hosts, topologies pointed at it (connection type local), runs of the
/// built `mktopo` with `--state-dir`, and the world read back through `microk8s-sim show`.
///
/// Every run's output is kept, and `expectNoSecrets` checks all of it, and every file in
/// mktopo's state directory, for join tokens: any run of 32 or more hex digits, and every
/// token the simulator has stored.
final class ApplyLab {
  /// The hosts a lab can hold: the MicroK8s "add-node" guide's, and spares.
  static let addresses: [String: String] = [
    "node1": "192.168.1.10", "node2": "192.168.1.11", "node3": "192.168.1.12",
    "node4": "192.168.1.13", "node5": "192.168.1.14", "worker1": "192.168.1.20",
    "worker2": "192.168.1.21",
  ]

  /// Timeouts small enough that a fault costs seconds, not minutes.
  static let quickPolicy = ["joinTimeout": "20s", "readyTimeout": "20s", "leaveTimeout": "20s"]

  let directory: TemporaryDirectory
  let mktopo: CommandRunner
  let simulator: CommandRunner
  let environment: [String: String]
  let stateDirectory: String
  let worldDirectory: String
  /// Standard output and error of every mktopo run, in order.
  private(set) var outputs: [String] = []
  /// Every join token the simulator has stored at any point after a run.
  private(set) var tokens: Set<String> = []
  private var holdsSlot = false

  /// A world of fresh standalone hosts, one per name in `names`.
  ///
  /// `hosts` gives some of them another `HOSTNAME[:TRACK]` than their name on 1.28: a
  /// machine named otherwise than the file says, or on another track. Waits for one of
  /// `LabSlots`, held until the lab goes away: a test holds one lab at a time.
  init(_ names: [String], hosts specs: [String: String] = [:]) async throws {
    directory = try TemporaryDirectory()
    mktopo = try CommandRunner.mktopo()
    let bin = mktopo.executable.deletingLastPathComponent().path
    simulator = CommandRunner(executable: URL(fileURLWithPath: bin + "/microk8s-sim"))
    worldDirectory = directory.url.appendingPathComponent("world").path
    stateDirectory = directory.url.appendingPathComponent("state").path
    environment = [
      "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "MICROK8S_SIM_STATE": worldDirectory,
    ]
    let hosts = try names.map { name in
      guard let address = Self.addresses[name] else { throw UnknownHost(name: name) }
      return ["--host", "\(address)=\(specs[name] ?? name)"]
    }
    await LabSlots.shared.acquire()
    holdsSlot = true
    let created = await simulator.run(["init"] + hosts.flatMap { $0 }, environment: environment)
    guard created.status == 0 else { throw SimulatorFailed(output: created) }
    // MicroK8s's own delays (30 s role adjustments, 40 s before a silent Node is marked)
    // only where a test asks for them (`settings`).
    let quick = await simulator.run(Self.quickSettings, environment: environment)
    guard quick.status == 0 else { throw SimulatorFailed(output: quick) }
  }

  /// No role-adjustment delay and no node-monitor grace: what most scenarios assume.
  static let quickSettings = ["settings", "rebalance-delay=0", "node-monitor-grace=0"]

  deinit {
    if holdsSlot { Task { await LabSlots.shared.release() } }
  }

  struct UnknownHost: Error { var name: String }
  struct SimulatorFailed: Error { var output: CommandRunner.Output }

  static func address(_ name: String) -> String { addresses[name] ?? "?" }

  // MARK: Topologies

  /// One entry of `nodes:`.
  struct Node {
    var name: String
    var role = "mixed"
    var absent = false
    /// The address of the host of this name in the lab, unless given.
    var address: String?

    static func mixed(_ name: String) -> Node { Node(name: name) }
    static func worker(_ name: String) -> Node { Node(name: name, role: "worker") }
    static func absent(_ name: String, role: String = "mixed") -> Node {
      Node(name: name, role: role, absent: true)
    }
  }

  /// Writes a topology of `nodes` for this world and returns its path.
  ///
  /// `policy` adds to, or overrides, `quickPolicy`.
  @discardableResult
  func topology(
    _ nodes: [Node],
    policy: [String: String] = [:],
    file: String = "topology.yaml",
    version: String = "1.28"
  ) throws -> String {
    var lines = [
      "apiVersion: mktopo/v1", "kind: Topology", "cluster:", "  name: lab",
      "  version: \"\(version)\"", "defaults:", "  connection:", "    type: local",
      "  microk8s: [\"microk8s-sim\", \"--host\", \"{address}\"]",
      "  snap: [\"microk8s-sim\", \"--host\", \"{address}\", \"snap\"]", "policy:",
    ]
    let merged = Self.quickPolicy.merging(policy) { _, new in new }
    lines += merged.keys.sorted().map { "  \($0): \(merged[$0] ?? "")" }
    lines.append("nodes:")
    for node in nodes {
      lines += [
        "  - name: \(node.name)", "    address: \(node.address ?? Self.address(node.name))",
      ]
      lines.append("    role: \(node.role)")
      if node.absent { lines.append("    state: absent") }
    }
    return try directory.write(file, lines.joined(separator: "\n") + "\n")
  }

  // MARK: Running

  /// `mktopo apply -f FILE --state-dir STATE` with `options` (`--auto-approve` unless
  /// given others); the output is kept for `expectNoSecrets`.
  @discardableResult
  func apply(
    _ file: String,
    _ options: [String] = ["--auto-approve"]
  ) async -> CommandRunner.Output {
    await run(["apply", "-f", file, "--state-dir", stateDirectory] + options)
  }

  /// `mktopo plan -f FILE --state-dir STATE` with `options`.
  func plan(_ file: String, _ options: [String] = []) async -> CommandRunner.Output {
    await run(["plan", "-f", file, "--state-dir", stateDirectory] + options)
  }

  /// Any mktopo command, its output kept.
  func run(_ arguments: [String]) async -> CommandRunner.Output {
    let result = await mktopo.run(arguments, environment: environment)
    keep(result)
    return result
  }

  /// Keeps a command's output for `expectNoSecrets`.
  func keep(_ result: CommandRunner.Output) {
    outputs.append(result.stdout)
    outputs.append(result.stderr)
    collectTokens()
  }

  /// A simulator command (`host`, `fault`, `settings`, ...); a failure is a test issue.
  @discardableResult
  func sim(
    _ arguments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async -> CommandRunner.Output {
    let result = await simulator.run(arguments, environment: environment)
    #expect(
      result.status == 0,
      "microk8s-sim \(arguments): \(result.stderr)",
      sourceLocation: sourceLocation
    )
    return result
  }

  /// `microk8s-sim host ADDRESS ACTION` for the host named `name`.
  func host(_ name: String, _ action: String) async {
    await sim(["host", Self.address(name), action])
  }

  /// The world as `microk8s-sim show` prints it.
  func world() async throws -> LabWorld {
    let shown = await simulator.run(["show"], environment: environment)
    return try JSONDecoder().decode(LabWorld.self, from: Data(shown.stdout.utf8))
  }

  /// A second plan finds nothing to do.
  func expectConverged(
    _ file: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    let again = await plan(file)
    #expect(again.status == 0, "\(again.stderr)", sourceLocation: sourceLocation)
    #expect(
      again.stdout.contains("No changes. Cluster membership matches the topology."),
      "\(again.stdout)",
      sourceLocation: sourceLocation
    )
  }

  // MARK: Secrets

  /// Adds the tokens stored in the simulator's world file (`hosts[].tokens[].token`).
  private func collectTokens() {
    let file = URL(fileURLWithPath: worldDirectory).appendingPathComponent("world.json")
    guard let data = try? Data(contentsOf: file),
      let root = try? JSONSerialization.jsonObject(with: data)
    else { return }
    Self.strings(forKey: "token", in: root).forEach { tokens.insert($0) }
  }

  private static func strings(forKey key: String, in value: Any) -> [String] {
    if let object = value as? [String: Any] {
      return object.flatMap { entry -> [String] in
        if entry.key == key, let string = entry.value as? String { return [string] }
        return strings(forKey: key, in: entry.value)
      }
    }
    if let array = value as? [Any] { return array.flatMap { strings(forKey: key, in: $0) } }
    return []
  }

  /// Git commit hashes the test made: long hex runs that reconcile prints on purpose.
  var commits: Set<String> = []

  /// No join token in any output so far, nor in any file of the state directory.
  ///
  /// Reconcile's git clone (`git/` in the state directory) is git's object store, full
  /// of hashes: only the simulator's tokens are looked for there.
  func expectNoSecrets(sourceLocation: SourceLocation = #_sourceLocation) {
    var texts = outputs.enumerated().map { ("mktopo output #\($0.offset + 1)", $0.element) }
    var clone: [(name: String, text: String)] = []
    let files = FileManager.default.enumerator(atPath: stateDirectory)
    while let relative = files?.nextObject() as? String {
      let path = stateDirectory + "/" + relative
      if let data = FileManager.default.contents(atPath: path) {
        let text = String(decoding: data, as: UTF8.self)
        if relative.hasPrefix("git/") {
          clone.append((path, text))
        } else {
          texts.append((path, text))
        }
      }
    }
    let secrets =
      secrets(in: texts)
      + clone.flatMap { file in
        tokens.filter { file.text.contains($0) }.map { "\(file.name) holds the join token \($0)" }
      }
    for secret in secrets {
      Issue.record(Comment(rawValue: secret), sourceLocation: sourceLocation)
    }
  }

  /// What in `texts` (name, text) looks like a join token or is one the simulator saw.
  func secrets(in texts: [(name: String, text: String)]) -> [String] {
    var found: [String] = []
    for (name, text) in texts {
      // The long hex runs mktopo prints on purpose: a plan's observation fingerprint...
      var text = text.replacing(#/"observedFingerprint" *: *"[0-9a-f]{64}"/#, with: "")
      // And a saved plan's topology digest.
      text = text.replacing(#/"digest" *: *"sha256:[0-9a-f]{64}"/#, with: "")
      for commit in commits { text = text.replacing(commit, with: "") }
      if let run = text.firstMatch(of: #/[0-9a-fA-F]{32,}/#) {
        found.append("\(name) holds a run of hex digits: \(run.output)")
      }
      for token in tokens where text.contains(token) {
        found.append("\(name) holds the join token \(token)")
      }
    }
    return found
  }
}

/// How many labs run at once. Each apply starts a process per MicroK8s command, and on a
/// 2-core machine dozens of labs at once starve every other test of the run; most of a
/// fault case is spent in apply's retry backoff, so a few slots keep the suite quick.
actor LabSlots {
  static let shared = LabSlots(limit: 4)

  private var free: Int
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) { free = limit }

  func acquire() async {
    if free > 0 {
      free -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func release() {
    if waiting.isEmpty {
      free += 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
