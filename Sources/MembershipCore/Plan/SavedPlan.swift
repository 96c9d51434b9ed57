/// A plan written by `mktopo plan --out`, read back for `mktopo apply PLAN.json`.
///
/// It is the contract apply carries out: the topology it was made from (digest and
/// content), the fingerprint of the observation, and the exact list of changes. Apply
/// plans again from the same topology and refuses unless the cluster still has that
/// fingerprint and the plan comes out change for change the same, so a plan edited by
/// hand (a change added, a node renamed) is never carried out.
public struct SavedPlan: Sendable {
  public var cluster: String
  public var observedFingerprint: String
  public var topology: PlanTopology
  /// Each change as the plan's JSON holds it, in order.
  public var changes: [JSONValue]

  /// Reads a saved plan; the error says, in words, why the text is not one.
  public static func read(_ text: String) -> Result<SavedPlan, SavedPlanError> {
    let root: ParsedJSON
    do {
      root = try JSONParser.parse(text)
    } catch {
      return .failure(SavedPlanError("not JSON: \(error.message) (at byte \(error.offset))"))
    }
    guard root.members != nil, root["formatVersion"] != nil else {
      return .failure(SavedPlanError("not a saved plan: no formatVersion"))
    }
    guard let cluster = root["cluster"]?.string,
      let fingerprint = root["observedFingerprint"]?.string, !fingerprint.isEmpty
    else {
      return .failure(SavedPlanError("not a saved plan: no cluster or observedFingerprint"))
    }
    guard let saved = root["topology"], saved.members != nil,
      let path = saved["path"]?.string, let digest = saved["digest"]?.string,
      let content = saved["content"]?.string
    else {
      return .failure(
        SavedPlanError(
          "the plan holds no topology (saved by an older mktopo, or edited); make it again "
            + "with 'mktopo plan --out'"
        )
      )
    }
    guard let changes = root["changes"]?.elements else {
      return .failure(SavedPlanError("not a saved plan: no list of changes"))
    }
    return .success(
      SavedPlan(
        cluster: cluster,
        observedFingerprint: fingerprint,
        topology: PlanTopology(path: path, digest: digest, content: content),
        changes: changes.map(Self.value)
      )
    )
  }

  /// How `plan`'s changes differ from the saved ones: empty when they are the same,
  /// else one line per change only one side has (`+`: only now, `-`: only saved).
  public func differences(from plan: Plan) -> [String] {
    let now = plan.changes.map(PlanRenderer.json)
    guard now != changes else { return [] }
    var lines: [String] = []
    for change in changes where !now.contains(change) {
      lines.append("- in the saved plan only: " + Self.title(change))
    }
    for (index, rendered) in now.enumerated() where !changes.contains(rendered) {
      let change = plan.changes[index]
      lines.append("+ planned now only: \(change.action.rawValue) \(change.node)")
    }
    // Same changes in another order.
    if lines.isEmpty { lines.append("the same changes, in another order") }
    return lines
  }

  /// `change-role wk1`, from a saved change.
  private static func title(_ change: JSONValue) -> String {
    guard case .object(let members) = change else { return "(not a change)" }
    func text(_ key: String) -> String {
      guard case .string(let value)? = members.first(where: { $0.0 == key })?.1 else { return "?" }
      return value
    }
    return "\(text("action")) \(text("node"))"
  }

  /// A parsed value as the renderer would build it, so the two compare by content.
  private static func value(_ parsed: ParsedJSON) -> JSONValue {
    switch parsed.kind {
    case .null: return .null
    case .bool(let value): return .boolean(value)
    // Plans hold no fractions; any other number only has to differ from the plan's.
    case .number(let text): return Int(text).map { .integer($0) } ?? .string(text)
    case .string(let text): return .string(text)
    case .array(let elements): return .array(elements.map(value))
    case .object(let members): return .object(members.map { ($0.key, value($0.value)) })
    }
  }
}

/// Why a file is not a saved plan mktopo can apply.
public struct SavedPlanError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
