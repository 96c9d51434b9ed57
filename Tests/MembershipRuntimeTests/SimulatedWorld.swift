import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

/// A `microk8s-sim` world in a scratch directory, and a topology whose nodes reach it
/// with `connection: local` and `microk8s: [microk8s-sim, --state, DIR, --host, {address}]`.
///
/// The addresses are only names inside the simulator: nothing connects to them.
struct SimulatedWorld {
  let directory: String
  let simulator: String

  /// `microk8s-sim`, beside the test runner: SwiftPM puts every product in one directory.
  static func simulatorPath() throws -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw TestFailure(description: "cannot read /proc/self/exe") }
    let runner = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let path = runner.split(separator: "/").dropLast().joined(separator: "/")
    let simulator = "/" + path + "/microk8s-sim"
    guard access(simulator, X_OK) == 0 else {
      throw TestFailure(
        description: "microk8s-sim is not at \(simulator); build it first with "
          + "`swift build --build-tests`"
      )
    }
    return simulator
  }

  /// Runs `body` with a fresh world of standalone hosts, `ADDRESS=HOSTNAME[:TRACK]` each.
  static func with<Result>(
    _ hosts: [String],
    _ body: (SimulatedWorld) async throws -> Result
  ) async throws -> Result {
    let simulator = try simulatorPath()
    return try await withScratchDirectory { directory in
      let world = SimulatedWorld(directory: directory + "/world", simulator: simulator)
      try await world.admin(["init"] + hosts.flatMap { ["--host", $0] })
      try await world.admin(["settings", "rebalance-delay=0", "node-monitor-grace=0"])
      return try await body(world)
    }
  }

  /// Runs one of the simulator's own commands (`host`, `fault`, `settings`, ...).
  @discardableResult
  func admin(_ arguments: [String]) async throws -> String {
    let result = try await LocalTransport(host: "simulator").run(
      Invocation([simulator, "--state", directory] + arguments, timeout: .seconds(30))
    )
    guard result.succeeded else {
      throw TestFailure(
        description: "microk8s-sim \(arguments.joined(separator: " ")) \(result.status): "
          + result.standardError
      )
    }
    return result.standardOutput
  }

  /// Runs `microk8s ARGUMENTS` on the host at `address`, as an operator would.
  @discardableResult
  func microk8s(_ address: String, _ arguments: [String]) async throws -> CommandResult {
    try await LocalTransport(host: address).run(
      Invocation(
        [simulator, "--state", directory, "--host", address] + arguments,
        timeout: .seconds(30)
      )
    )
  }

  /// `name@address[:worker][:absent]` nodes, each reaching this world.
  func topology(
    _ nodes: [String],
    version: String = "1.28",
    policy: Policy = Policy()
  )
    -> Topology
  {
    let track = Track.parse(version) ?? Track(major: 1, minor: 28)
    return Topology(
      cluster: ClusterSpec(name: "homelab", version: track),
      policy: policy,
      nodes: nodes.map { text in
        let parts = text.split(separator: ":").map(String.init)
        let identity = parts[0].split(separator: "@").map(String.init)
        return NodeSpec(
          name: identity[0],
          address: NodeAddress.parse(identity[1]),
          role: parts.contains("worker") ? .worker : .mixed,
          version: track,
          state: parts.contains("absent") ? .absent : .present,
          connection: Connection(type: .local),
          microk8s: [simulator, "--state", directory, "--host", "{address}"],
          snap: [simulator, "--state", directory, "--host", "{address}", "snap"]
        )
      }
    )
  }

  /// Joins `joiner` to the cluster through `contact` the way mktopo does: a fresh token
  /// minted on the contact, then join on the joiner.
  func join(
    _ engine: MicroK8sEngine,
    _ joiner: String,
    to contact: String
  ) async throws {
    let nodes = engine.topology.nodes
    let contactNode = try #require(nodes.first { $0.name == contact })
    let joinerNode = try #require(nodes.first { $0.name == joiner })
    let token = JoinToken()
    let fingerprint = try await engine.mintToken(token, ttl: .seconds(600), on: contactNode)
    _ = try await engine.join(
      joinerNode,
      contact: try #require(contactNode.address),
      token: token,
      fingerprint: fingerprint,
      asWorker: joinerNode.role == .worker
    )
  }
}
