/// Renders a `Plan` for people (terraform-like text) and for tools (JSON), from the one
/// value, so the two forms cannot disagree.
public enum PlanRenderer {
  /// The text form: one block per change with its steps and hosts, then the summary.
  public static func text(_ plan: Plan) -> String {
    guard !plan.isEmpty else {
      // A warning means the membership does not quite match, even though nothing is
      // planned; so do members the file does not list.
      guard plan.warnings.isEmpty else {
        let count = plan.warnings.count == 1 ? "1 warning" : "\(plan.warnings.count) warnings"
        return warnings(plan) + kept(plan) + "No changes planned, but see the \(count) above.\n"
      }
      guard plan.kept.isEmpty else { return "No changes. " + keptSentence(plan) + "\n" }
      return "No changes. Cluster membership matches the topology.\n"
    }
    var output = ""
    if !plan.changes.isEmpty {
      output += "mktopo will make these changes to cluster \(plan.cluster), in this order,\n"
      output += "one at a time, observing the cluster again after each:\n\n"
    }
    if let founder = plan.founder, !plan.changes.isEmpty {
      output += "  * \(founder) founds the cluster: no member answered, so its standalone\n"
      output += "    MicroK8s becomes the first member, and the others join it.\n\n"
    }
    for change in plan.changes {
      output += block(change) + "\n"
    }
    for blocked in plan.blocked {
      output += "  ! \(blocked.action.rawValue) \(blocked.node): blocked\n"
      output += "      \(blocked.reason)\n\n"
    }
    output += warnings(plan)
    output += kept(plan)
    output += summary(plan) + "\n"
    return output
  }

  /// `Every node of the topology is a member as it asks, but the cluster also has ...`.
  public static func keptSentence(_ plan: Plan) -> String {
    let count = plan.kept.count == 1 ? "1 member" : "\(plan.kept.count) members"
    return "Every node of the topology is a member as it asks, but the cluster also has "
      + "\(count) the topology does not list, kept because policy.prune is false: "
      + plan.kept.joined(separator: ", ") + "."
  }

  private static func kept(_ plan: Plan) -> String {
    guard !plan.kept.isEmpty else { return "" }
    return "Kept (members the topology does not list; policy.prune is false):\n"
      + plan.kept.map { "  = \($0)\n" }.joined() + "\n"
  }

  /// The closing line, such as `Plan: 2 to join, 1 to remove, 0 to change, 1 blocked.`.
  public static func summary(_ plan: Plan) -> String {
    let removals = plan.count(.remove) + plan.count(.cleanupGhost)
    return "Plan: \(plan.count(.join)) to join, \(removals) to remove, "
      + "\(plan.count(.changeRole) + plan.count(.install) + plan.count(.upgrade)) to change, "
      + "\(plan.blocked.count) blocked."
  }

  /// `+ join node2 (192.168.1.11) as mixed`: a change's first line, without indent.
  public static func title(_ change: Change) -> String {
    let symbol: String
    switch change.action {
    case .join, .install: symbol = "+"
    case .remove, .cleanupGhost: symbol = "-"
    case .changeRole, .upgrade: symbol = "~"
    }
    var title = "\(symbol) \(change.action.rawValue) \(change.node)"
    if let address = change.address, change.node != address.description {
      title += " (\(address))"
    }
    if let role = change.role { title += " as \(role.rawValue)" }
    if change.action == .upgrade, let version = change.version { title += " to \(version.track)" }
    return title
  }

  private static func block(_ change: Change) -> String {
    var output = "  " + title(change) + "\n"
    if !change.reason.isEmpty { output += "      # \(change.reason)\n" }
    for (index, step) in change.steps.enumerated() {
      output += "      \(index + 1). on \(step.host): \(step.commandLine)\n"
    }
    let voters = change.votersAfter.map(\.description).joined(separator: ", ")
    if change.voterOneOf.isEmpty {
      output += "      datastore voters after: \(voters.isEmpty ? "none" : voters)\n"
    } else {
      let choice = change.voterOneOf.map(\.description).joined(separator: ", ")
      output += "      datastore voters after: one of \(choice) (the raft leader keeps the vote)\n"
    }
    if !change.versionsAfter.isEmpty {
      let groups = change.versionsAfter.map { "\($0.track) on \($0.nodes.joined(separator: ", "))" }
      output += "      versions after: \(groups.joined(separator: "; "))\n"
    }
    return output
  }

  private static func warnings(_ plan: Plan) -> String {
    guard !plan.warnings.isEmpty else { return "" }
    return "Warnings:\n" + plan.warnings.map { "  - \($0)\n" }.joined() + "\n"
  }

  /// The JSON form (documented in schema/plan.schema.json).
  public static func json(_ plan: Plan) -> String { jsonValue(plan).rendered() }

  /// The JSON form as a value, for documents that hold a plan (apply's event stream).
  public static func jsonValue(_ plan: Plan) -> JSONValue {
    .object([
      ("formatVersion", .integer(1)),
      ("cluster", .string(plan.cluster)),
      ("observedFingerprint", .string(plan.observedFingerprint)),
      ("clusterIdentity", plan.clusterIdentity.map { .string($0) } ?? .null),
      ("founder", plan.founder.map { .string($0) } ?? .null),
      ("changes", .array(plan.changes.map(json))),
      (
        "blocked",
        .array(
          plan.blocked.map {
            .object([
              ("action", .string($0.action.rawValue)), ("node", .string($0.node)),
              ("reason", .string($0.reason)),
            ])
          }
        )
      ),
      ("warnings", .array(plan.warnings.map { .string($0) })),
      ("kept", .array(plan.kept.map { .string($0) })),
      (
        "topology",
        plan.topology.map {
          .object([
            ("path", .string($0.path)), ("digest", .string($0.digest)),
            ("content", .string($0.content)),
          ])
        } ?? .null
      ),
    ])
  }

  /// One change as plan JSON holds it: what a saved plan's changes are compared by.
  public static func json(_ change: Change) -> JSONValue {
    .object([
      ("action", .string(change.action.rawValue)),
      ("node", .string(change.node)),
      ("address", change.address.map { .string($0.description) } ?? .null),
      ("role", change.role.map { .string($0.rawValue) } ?? .null),
      ("version", change.version.map { .string($0.track) } ?? .null),
      (
        "steps",
        .array(
          change.steps.map {
            .object([
              ("verb", .string($0.verb.rawValue)), ("host", .string($0.host)),
              ("args", .array($0.arguments.map { .string($0) })),
            ])
          }
        )
      ),
      ("votersAfter", .array(change.votersAfter.map { .string($0.description) })),
      ("voterOneOf", .array(change.voterOneOf.map { .string($0.description) })),
      (
        "versionsAfter",
        change.versionsAfter.isEmpty
          ? .null
          : .object(
            change.versionsAfter.map { ($0.track, .array($0.nodes.map { .string($0) })) }
          )
      ),
      ("reason", .string(change.reason)),
    ])
  }
}
