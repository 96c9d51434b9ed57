import Testing

@testable import MicroK8sSimulator

/// A simulated world driven in-process, with the clock under the test's control.
///
/// A class, so that its methods can be called inside `#expect`, which cannot call
/// mutating methods.
final class Lab {
  var world: World
  var now: Double = 1_700_000_000

  static let contact = "192.168.1.10"
  static let token = "0123456789abcdef0123456789abcdef"

  /// MicroK8s's own delays (role adjustments on a 30 s tick, a 40 s grace before a
  /// silent Node is marked) are off unless a test sets them.
  init(specs: [HostSpec]) {
    world = World(hosts: specs, now: now)
    world.settings.rebalanceDelay = 0
    world.settings.nodeMonitorGrace = 0
  }

  /// Hosts given as `ADDRESS=HOSTNAME[:TRACK]`.
  convenience init(_ specs: String...) {
    let parsed = specs.map { text -> HostSpec in
      guard case .success(let spec) = HostSpec.parse(text) else {
        preconditionFailure("bad host spec in a test: \(text)")
      }
      return spec
    }
    self.init(specs: parsed)
  }

  /// Hosts node1 to nodeN at 192.168.1.10 upwards, on track 1.28 unless given.
  convenience init(nodes count: Int, track: String = "1.28") {
    let specs = (0..<count).map {
      HostSpec(address: "192.168.1.\(10 + $0)", hostname: "node\($0 + 1)", track: track)
    }
    self.init(specs: specs)
  }

  /// A host action (down, up, ...) at the lab's current time.
  @discardableResult
  func apply(_ action: HostAction, to address: String) -> Bool {
    world.apply(action, to: address, now: now)
  }

  static func address(_ number: Int) -> String { "192.168.1.\(9 + number)" }

  @discardableResult
  func run(_ address: String, _ arguments: String...) -> CommandOutcome {
    world.run(Invocation(host: address, arguments: arguments, now: now, user: "ops"))
  }

  func run(_ address: String, arguments: [String]) -> CommandOutcome {
    world.run(Invocation(host: address, arguments: arguments, now: now, user: "ops"))
  }

  /// `add-node` on the contact with a fixed token; returns `TOKEN/FINGERPRINT`.
  @discardableResult
  func mint(
    on contact: String = Lab.contact,
    token: String = Lab.token,
    ttl: Int = -1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> String {
    let outcome = run(
      contact,
      "add-node",
      "--token",
      token,
      "--token-ttl",
      String(ttl),
      "--format",
      "token-check"
    )
    #expect(outcome.exitCode == 0, "add-node failed: \(outcome)", sourceLocation: sourceLocation)
    return outcome.stdout.trimmingSuffix("\n")
  }

  /// Mints a single-use token on the contact and joins `joiner` with it.
  @discardableResult
  func join(
    _ joiner: String,
    to contact: String = Lab.contact,
    worker: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> CommandOutcome {
    let token =
      String(Lab.token.dropLast(2))
      + String(joiner.split(separator: ".").last ?? "00")
      .padded(to: 2)
    let check = mint(on: contact, token: token, sourceLocation: sourceLocation)
    let outcome = run(
      joiner,
      arguments: ["join", "\(contact):25000/\(check)"] + (worker ? ["--worker"] : [])
    )
    #expect(outcome.exitCode == 0, "join failed: \(outcome)", sourceLocation: sourceLocation)
    return outcome
  }

  /// A cluster of `count` control-plane nodes founded by node1, then `workers` workers.
  static func cluster(controlPlanes count: Int, workers: Int = 0) -> Lab {
    let lab = Lab(nodes: count + workers)
    for number in 2...max(2, count + workers) where number <= count + workers {
      lab.join(address(number), worker: number > count)
    }
    return lab
  }

  func cluster(of address: String) -> SimulatedCluster {
    guard let cluster = world.cluster(of: address) else {
      preconditionFailure("no cluster for \(address)")
    }
    return cluster
  }

  /// `ADDRESS:19001 role` for each member of the host's datastore, in order.
  func members(of address: String = Lab.contact) -> [String] {
    cluster(of: address).members.map { "\($0.address) \($0.role.rawValue)" }
  }

  func roleCounts(of address: String = Lab.contact) -> [DatastoreMember.Role: Int] {
    Dictionary(grouping: cluster(of: address).members, by: \.role).mapValues(\.count)
  }

  func host(_ address: String) -> SimulatedHost {
    guard let host = world.host(address) else { preconditionFailure("no host \(address)") }
    return host
  }

  func readiness(of name: String, seenFrom address: String = Lab.contact) -> World.NodeReadiness? {
    let cluster = cluster(of: address)
    return cluster.nodes.first { $0.name == name }.map {
      world.readiness(of: $0, in: cluster, at: now)
    }
  }

  func fault(
    _ address: String,
    _ verb: String,
    _ kind: FaultKind,
    times: Int? = 1
  ) {
    world.faults.append(Fault(address: address, verb: verb, kind: kind, remaining: times))
  }
}

extension String {
  func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }

  func padded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }

  /// The lines of the text, without the empty one after a final line break.
  var lines: [String] {
    var result = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if result.last == "" { result.removeLast() }
    return result
  }
}
