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

  /// The subcommands `microk8s help` lists, sorted as the wrapper's glob returns them.
  static let listed: [String] = [
    "add-node", "join", "kubectl", "leave", "remove-node", "start", "status", "stop", "version",
  ]
}
