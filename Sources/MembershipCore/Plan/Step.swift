/// One MicroK8s CLI verb (or a kubectl verb through it) run on one host: the unit the executor carries out.
///
/// Verbs match MicroK8s's own words so that logs map one-to-one to what an operator
/// would type. Arguments never contain a join token: where one belongs, the argument
/// is `Step.tokenPlaceholder`, filled in by the executor at run time and redacted again
/// in anything it prints.
public struct Step: Sendable, Hashable {
  public enum Verb: String, Sendable, Hashable, CaseIterable {
    /// `add-node --token T --token-ttl N --format token-check` on the contact.
    case addNode = "add-node"
    /// `join ADDRESS:25000/TOKEN/FINGERPRINT [--worker]` on the joining node.
    case join
    /// `leave` on the departing node.
    case leave
    /// `remove-node NAME [--force]` on the contact (`--force` after the name: contract
    /// section 5).
    case removeNode = "remove-node"
    /// `kubectl cordon NAME` on the contact: no new pod goes to the node.
    case cordon
    /// `kubectl drain NAME --ignore-daemonsets --delete-emptydir-data --timeout=Ns` on
    /// the contact: its pods are evicted, honouring disruption budgets.
    case drain
    /// `kubectl uncordon NAME` on the contact, once the node is back.
    case uncordon
    /// `snap install microk8s --classic --channel=TRACK/RISK` on a node without
    /// MicroK8s, through its `snap` command; then a wait until MicroK8s is ready.
    case install
    /// `snap refresh microk8s --channel=TRACK/RISK` on a member, one minor version up,
    /// through its `snap` command; then a wait until it is Ready on that version.
    case refresh

    /// The words before the arguments: `microk8s VERB`, or `microk8s kubectl VERB`
    /// for the node maintenance that goes through the API server.
    public var command: [String] {
      switch self {
      case .addNode, .join, .leave, .removeNode: ["microk8s", rawValue]
      case .cordon, .drain, .uncordon: ["microk8s", "kubectl", rawValue]
      case .install, .refresh: ["snap", rawValue]
      }
    }
  }

  /// Stands for the join token (or the URL holding it) wherever a token belongs.
  public static let tokenPlaceholder = "<token>"

  public var verb: Verb
  /// The topology name of the node the command runs on.
  public var host: String
  /// The arguments after the verb, exactly as they will be passed (one argv element each).
  public var arguments: [String]

  public init(_ verb: Verb, on host: String, arguments: [String] = []) {
    self.verb = verb
    self.host = host
    self.arguments = arguments
  }

  /// `microk8s remove-node n3 --force`, as an operator would type it.
  public var commandLine: String {
    (verb.command + arguments).joined(separator: " ")
  }
}
