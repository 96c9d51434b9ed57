/// The MicroK8s subcommands the simulator answers, and the verbs faults are keyed by.
public enum MicroK8sVerb: String, Codable, Sendable, CaseIterable {
  case addNode = "add-node"
  case join
  case leave
  case removeNode = "remove-node"
  case status
  case kubectl
  case version
  case start
  case stop
  /// Not MicroK8s's: the host's `snap` (`microk8s-sim --host ADDRESS snap ...`), which
  /// installs and refreshes it.
  case snap

  /// The subcommands `microk8s help` lists, sorted as the wrapper's glob returns them.
  static let listed: [String] = [
    "add-node", "join", "kubectl", "leave", "remove-node", "start", "status", "stop", "version",
  ]
}
