import Testing

/// One fault of `microk8s-sim faults`, injected once on one host for one verb, and what
/// apply should make of it.
struct FaultCase: Sendable, CustomTestStringConvertible {
  enum Outcome: Sendable {
    /// Retried (with a fresh token for a join) and converged.
    case converges
    /// Exit 1, the output holding every one of `mentions`.
    case stops
    /// Either: which of the commands run side by side the fault hits decides.
    case convergesOrStops
  }

  var scenario: FaultScenario
  var host: String
  var verb: String
  var fault: String
  var outcome: Outcome
  /// Text the output must hold: the node, the command and what failed.
  var mentions: [String] = []
  var policy: [String: String] = [:]

  var testDescription: String { "\(fault) on \(host)'s \(verb) (\(scenario.rawValue))" }

  /// `target` is the host and the verb: `"node2 join"`.
  init(
    _ scenario: FaultScenario,
    _ target: String,
    _ fault: String,
    _ outcome: Outcome,
    _ mentions: [String] = [],
    policy: [String: String] = [:]
  ) {
    let words = target.split(separator: " ").map(String.init)
    self.scenario = scenario
    self.host = words.first ?? ""
    self.verb = words.last ?? ""
    self.fault = fault
    self.outcome = outcome
    self.mentions = mentions
    self.policy = policy
  }
}

extension FaultCase {
  static let addNode = "node1: 'microk8s add-node --token <token> --token-ttl 600"
  static let join = "node2: 'microk8s join 192.168.1.10:25000/<token>"
  static let leave = "worker1: 'microk8s leave'"
  static let leave3 = "node3: 'microk8s leave'"
  static let removeNode = "node1: 'microk8s remove-node worker1'"
  static let failed = "Apply failed after 0 changes"
  static let listing = "node1 (its nodes could not be listed"
  static let unchanged = "Nothing was changed."

  /// Every fault of the catalogue that can hit a command apply runs, where it hits.
  static let all: [FaultCase] = [
    // Host-wide: the first command on the host fails.
    .init(.joinMixed, "node2 any", "ssh-unreachable", .stops, ["node2: cannot reach the host"]),
    .init(.joinMixed, "node1 any", "ssh-unreachable", .convergesOrStops, ["node1: cannot reach"]),
    .init(.removeWorker, "worker1 any", "ssh-unreachable", .converges),
    .init(.removeWorker, "node1 any", "ssh-unreachable", .stops, ["node1: cannot reach"]),
    .init(.removeWorker, "worker1 any", "hang", .converges, policy: ["leaveTimeout": "3s"]),
    // Taken for a host without MicroK8s: `snap install` finds it installed, and the join
    // goes on; without policy.install, blocked with the command.
    .init(.joinMixed, "node2 any", "not-installed", .converges),
    .init(
      .joinMixed,
      "node2 any",
      "not-installed",
      .stops,
      ["MicroK8s is not installed on node2", "policy.install is false"],
      policy: ["install": "false"]
    ),
    .init(
      .joinMixed,
      "node2 any",
      "sudo-password",
      .stops,
      ["node2", "sudo asked for a password"]
    ),
    // Installing on a bare host: no snapd, no sudo for snap, a host that drops off or
    // hangs for a moment.
    .init(.installWorker, "worker1 snap", "not-installed", .stops, ["snapd is not installed"]),
    .init(.installWorker, "worker1 snap", "sudo-password", .stops, ["sudo asks for a password"]),
    .init(.installWorker, "worker1 snap", "ssh-unreachable", .converges),
    .init(.installWorker, "worker1 snap", "hang", .converges, policy: ["readyTimeout": "3s"]),
    .init(.removeWorker, "worker1 any", "not-installed", .stops, [leave, "not installed"]),
    .init(
      .joinMixed,
      "node2 any",
      "permission-denied",
      .stops,
      ["node2: 'microk8s", "permissions"]
    ),
    .init(.removeWorker, "worker1 any", "permission-denied", .stops, [leave, "permissions"]),
    .init(
      .joinMixed,
      "node2 any",
      "stopped",
      .stops,
      ["node2 (MicroK8s is stopped)", "nothing is founded"]
    ),
    .init(.removeWorker, "worker1 any", "stopped", .stops, [leave, "is stopped"]),
    // add-node on the contact.
    .init(.joinMixed, "node1 add-node", "permission-denied", .stops, [addNode, failed]),
    .init(.joinMixed, "node1 add-node", "stopped", .stops, [addNode, "is stopped", failed]),
    .init(.joinMixed, "node1 add-node", "needs-sudo", .stops, [addNode, "as root", failed]),
    .init(.joinMixed, "node1 add-node", "add-node-fresh-install-required", .stops, [addNode]),
    .init(.joinMixed, "node1 add-node", "add-node-utility-failure", .converges),
    // join on the joining node.
    .init(.joinMixed, "node2 join", "permission-denied", .stops, [join, failed]),
    .init(.joinMixed, "node2 join", "join-hostpath-warning", .converges),
    .init(.joinMixed, "node2 join", "join-agent-unreachable", .converges),
    .init(.joinMixed, "node2 join", "join-agent-timeout", .converges),
    // A certificate being regenerated, or an agent just restarted: tried again.
    .init(.joinMixed, "node2 join", "join-fingerprint-mismatch", .converges),
    .init(.joinMixed, "node2 join", "join-agent-no-cluster-file", .converges),
    .init(.joinMixed, "node2 join", "join-ssl-error", .converges),
    .init(.joinMixed, "node2 join", "join-http-exception", .converges),
    .init(.joinMixed, "node2 join", "join-invalid-token", .converges),
    .init(.joinMixed, "node2 join", "join-not-ha", .stops, [join, "ha-cluster"]),
    .init(.joinMixed, "node2 join", "join-agent-port-mismatch", .stops, [join, "25000"]),
    .init(.joinMixed, "node2 join", "join-same-ip", .stops, [join, "own address"]),
    .init(.joinMixed, "node2 join", "join-hostname-unresolvable", .stops, [join, "resolve"]),
    .init(.joinMixed, "node2 join", "join-already-known", .stops, [join, "--force"]),
    .init(.joinMixed, "node2 join", "join-dqlite-bind-address", .stops, [join, "bind"]),
    .init(.joinMixed, "node2 join", "join-custom-etcd", .stops, [join, failed]),
    .init(.joinWorker, "worker1 join", "join-sign-cert-failure", .converges),
    .init(.joinWorker, "worker1 join", "join-invalid-token", .converges),
    // join-silent-timeout leaves node2 needing 'microk8s leave' by hand, which no
    // 'fault clear' undoes: ApplyFaultTests.joinSilentTimeout covers it end to end.
    // leave on the departing node.
    .init(.removeWorker, "worker1 leave", "permission-denied", .stops, [leave, failed]),
    .init(.removeWorker, "worker1 leave", "stopped", .stops, [leave, "is stopped"]),
    .init(.removeWorker, "worker1 leave", "needs-sudo", .stops, [leave, "as root"]),
    // Not in a cluster any more: the goal of leave holds, so remove-node goes ahead.
    .init(.removeWorker, "worker1 leave", "leave-not-in-clustering-mode", .converges),
    .init(.removeWorker, "worker1 leave", "leave-not-clustered", .converges),
    .init(.removeControlPlane, "node3 leave", "leave-only-voter", .stops, [leave3, "only copy"]),
    // A leave that says "not clustered" while node3 is still a member: the wait for it
    // to leave the datastore times out, and the retry's leave goes through.
    .init(.removeControlPlane, "node3 leave", "leave-not-clustered", .converges),
    .init(.removeControlPlane, "node3 leave", "leave-dqlite-remove-failed", .converges),
    // remove-node on the contact.
    .init(.removeWorker, "node1 remove-node", "permission-denied", .stops, [removeNode]),
    .init(.removeWorker, "node1 remove-node", "stopped", .stops, [removeNode, "is stopped"]),
    .init(.removeWorker, "node1 remove-node", "remove-node-api-unavailable", .converges),
    .init(
      .removeWorker,
      "node1 remove-node",
      "remove-node-no-internal-ip",
      .stops,
      [removeNode, "InternalIP"]
    ),
    .init(.evictDownNode, "node1 remove-node", "remove-node-dqlite-remove-failed", .converges),
    .init(.evictDownNode, "node1 remove-node", "remove-node-api-unavailable", .converges),
    // status and kubectl, as the cluster is read.
    .init(
      .joinMixed,
      "node1 status",
      "permission-denied",
      .stops,
      ["node1: 'microk8s status"]
    ),
    .init(
      .joinMixed,
      "node1 status",
      "stopped",
      .stops,
      ["node1 (MicroK8s is stopped)", "Nothing was changed."]
    ),
    .init(
      .joinMixed,
      "node2 status",
      "status-not-ready",
      .stops,
      ["node2 (MicroK8s is not ready)", "nothing is founded"]
    ),
    .init(
      .removeWorker,
      "node1 status",
      "status-not-ready",
      .stops,
      ["node1"]
    ),
    // An empty member list is unknown: node1 is not founded on, nor node2 promoted.
    .init(.joinMixed, "node1 status", "status-empty-datastore", .convergesOrStops, ["node1"]),
    .init(.removeControlPlane, "node1 status", "status-empty-datastore", .converges),
    // The would-be founder cannot list its own node: its name, track and identity are
    // unknown, so nothing is founded on it, and nothing after it is taken instead.
    .init(.joinMixed, "node1 kubectl", "permission-denied", .stops, [listing, unchanged]),
    .init(.joinMixed, "node1 kubectl", "stopped", .stops, [listing, unchanged]),
    .init(.joinMixed, "node1 kubectl", "kubectl-api-unavailable", .stops, [listing, unchanged]),
    .init(.removeWorker, "node1 kubectl", "kubectl-api-unavailable", .stops, ["node1: 'microk8s"]),
  ]
}
