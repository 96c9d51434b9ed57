import MicroK8sSimulator

/// Something the harness does to the simulated world: a host going down or up, MicroK8s
/// stopped or started, or a fault injected for the next commands of one verb.
enum SimulatorAction: Sendable, Equatable {
  enum HostChange: String, Sendable {
    case down
    case up
    case stop
    case start
  }

  case host(String, HostChange)
  case fault(address: String, verb: String, kind: String, times: Int)

  /// The `microk8s-sim` arguments that do it.
  var arguments: [String] {
    switch self {
    case .host(let address, let change): ["host", address, change.rawValue]
    case .fault(let address, let verb, let kind, let times):
      ["fault", address, verb, kind, "--times", String(times)]
    }
  }

  /// The host it takes away (down or stopped), which the quorum check then forgives.
  var takesDown: String? {
    guard case .host(let address, let change) = self, change == .down || change == .stop else {
      return nil
    }
    return address
  }

  /// The host whose liveness it changes in either direction.
  var touchedHost: String? {
    guard case .host(let address, _) = self else { return nil }
    return address
  }

  /// Faults that cost seconds, not minutes: `hang` is left out, since mktopo waits two
  /// minutes for a status that never answers, and a seed should cost seconds.
  static let faultKinds: [FaultKind] = FaultKind.allCases.filter { $0 != .hang }

  /// A fault from the simulator's catalogue on one of the verbs it applies to.
  static func randomFault(on address: String, _ random: inout SplitMix64) -> SimulatorAction {
    let kind = random.pick(faultKinds)
    var verbs = kind.verbs.map(\.rawValue)
    if kind.acceptsAnyVerb { verbs.append(Fault.anyVerb) }
    return .fault(
      address: address,
      verb: random.pick(verbs),
      kind: kind.rawValue,
      times: random.int(1...3)
    )
  }

  /// A host change or a fault, on one of `addresses`.
  static func random(on addresses: [String], _ random: inout SplitMix64) -> SimulatorAction {
    let address = random.pick(addresses)
    if random.chance(0.4) { return randomFault(on: address, &random) }
    return .host(address, random.pick([.down, .down, .up, .stop, .start]))
  }
}
