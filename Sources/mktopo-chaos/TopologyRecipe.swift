/// One random topology file of a scenario, kept as the values it was written from, so
/// that the checks read what the file says without parsing it back.
struct TopologyRecipe: Sendable {
  struct Node: Sendable, Equatable {
    var name: String
    /// Nil only for an absent node written without one.
    var address: String?
    var role: Role
    var absent: Bool
    /// The node's own `version`, when the file gives one.
    var version: String?
  }

  /// `maxRemovals`: left out (default 1), or a count.
  enum MaxRemovals: Sendable, Equatable {
    case unset
    case count(Int)

    /// The limit the file asks for.
    var limit: Int {
      switch self {
      case .unset: 1
      case .count(let count): count
      }
    }
  }

  var version: String
  var prune: Bool
  var maxRemovals: MaxRemovals
  var cleanupGhosts: Bool
  /// `policy.drain`: nil leaves it out (on by default).
  var drain: Bool? = nil
  /// Seconds for `policy.drainTimeout`: short, as a refused drain waits it out.
  var drainTimeout = 10
  /// Whether nodes are drained before they leave.
  var drains: Bool { drain ?? true }
  /// `policy.install`: nil leaves it out (on by default).
  var install: Bool? = nil
  /// Whether MicroK8s is installed on listed hosts that lack it.
  var installs: Bool { install ?? true }
  /// Seconds for joinTimeout, readyTimeout and leaveTimeout.
  var timeouts: (join: Int, ready: Int, leave: Int)
  var nodes: [Node]
  /// A policy key given a number of 20 digits or so instead (`maxRemovals:
  /// 99999999999999999999`, `joinTimeout: 18446744073709551616s`): no integer holds it.
  var oversized: (key: String, value: String)?

  /// The file's track without its risk level.
  var track: String { Tracks.normalized(version) }

  var present: [Node] { nodes.filter { !$0.absent } }

  func node(named name: String) -> Node? {
    nodes.first { $0.name == name.lowercased() }
  }

  func node(at address: String) -> Node? {
    nodes.first { $0.address == address }
  }

  /// The track a present node must run: its own `version`, else the cluster's.
  func track(of node: Node) -> String {
    Tracks.normalized(node.version ?? version)
  }

  /// Whether mktopo must accept the file.
  ///
  /// A number no integer holds may be refused (or taken as "no limit"), so nothing is
  /// assumed about such a file.
  var certainlyValid: Bool { oversized == nil }

  /// The YAML, pointed at the simulator (connection type local).
  var yaml: String {
    var lines = [
      "# Written by mktopo-chaos; drives microk8s-sim, never a network.",
      "apiVersion: mktopo/v1",
      "kind: Topology",
      "cluster:",
      "  name: lab",
      "  version: \"\(version)\"",
      "defaults:",
      "  connection:",
      "    type: local",
      "  microk8s: [\"microk8s-sim\", \"--host\", \"{address}\"]",
      "  snap: [\"microk8s-sim\", \"--host\", \"{address}\", \"snap\"]",
      "policy:",
    ]
    var policy = [
      ("prune", "\(prune)"), ("cleanupGhosts", "\(cleanupGhosts)"),
      ("joinTimeout", "\(timeouts.join)s"), ("readyTimeout", "\(timeouts.ready)s"),
      ("leaveTimeout", "\(timeouts.leave)s"), ("drainTimeout", "\(drainTimeout)s"),
    ]
    if let drain { policy.append(("drain", "\(drain)")) }
    if let install { policy.append(("install", "\(install)")) }
    if case .count(let count) = maxRemovals { policy.append(("maxRemovals", "\(count)")) }
    if let oversized {
      policy.removeAll { $0.0 == oversized.key }
      policy.append(oversized)
    }
    lines += policy.map { "  \($0.0): \($0.1)" }
    lines.append("nodes:")
    for node in nodes {
      lines.append("  - name: \(node.name)")
      if let address = node.address { lines.append("    address: \(address)") }
      lines.append("    role: \(node.role.rawValue)")
      if let version = node.version { lines.append("    version: \"\(version)\"") }
      if node.absent { lines.append("    state: absent") }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
