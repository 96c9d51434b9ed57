/// The changes an operator approved: the plan `apply` printed before asking, or the
/// plan saved with `plan --out`.
///
/// Apply re-plans after every change (that is what keeps it safe), but carries out only
/// changes of this list: a re-planned change that is one of them, or the remaining
/// steps of one (a join to carry on, a role change after its leave), goes ahead; any
/// other (a join that was blocked and no longer is, a removal the cluster now needs)
/// stops the run before it starts (DESIGN.md section 5).
public struct Approval: Sendable, Equatable {
  /// What makes two changes the same change across passes: their steps and the
  /// voters after them may differ as the cluster moves, their intent may not.
  public struct Key: Hashable, Sendable {
    public var action: Change.Action
    public var node: String
    /// The role a join or a role change gives; nil for removals and ghosts.
    public var role: Role?
    /// The track an upgrade brings the node to: one node is upgraded once per minor.
    public var version: String?

    public init(_ change: Change) {
      action = change.action
      node = change.node
      role = change.action == .join || change.action == .changeRole ? change.role : nil
      version = change.action == .upgrade ? change.version?.track : nil
    }
  }

  /// The approved changes' keys, in plan order.
  public let keys: [Key]
  private let members: Set<Key>

  public init(_ changes: [Change]) {
    keys = changes.map(Key.init)
    members = Set(keys)
  }

  public var count: Int { keys.count }

  public func approves(_ change: Change) -> Bool {
    members.contains(Key(change))
  }

  /// The changes of `changes` that were not approved, in their order.
  public func unapproved(in changes: [Change]) -> [Change] {
    changes.filter { !approves($0) }
  }
}
