extension MicroK8sOutput {
  private static let budgetsWhat = "'microk8s kubectl get pdb -A -o json' output"
  private static let podsWhat = "'microk8s kubectl get pods -o json' output"

  /// The PodDisruptionBudgets that select any of `pods` (`namespace/name`), from
  /// `kubectl get pdb -A -o json` and the pods' own listing (their labels), each as
  /// `namespace/name (minAvailable 2: 2 healthy, 0 disruptions allowed)`, in listing order.
  ///
  /// A budget selects the pods of its namespace whose labels include its `matchLabels`
  /// (an empty selector selects them all, policy/v1).
  public static func blockingBudgets(
    of pods: [String],
    budgets budgetsOutput: CommandOutput,
    pods podsOutput: CommandOutput
  ) throws(MicroK8sFailure) -> [String] {
    let podItems = try listItems(podsOutput, what: podsWhat)
    let budgetItems = try listItems(budgetsOutput, what: budgetsWhat)
    let wanted = Set(pods)
    var labelsByPod: [String: [String: String]] = [:]
    for item in podItems {
      guard let name = qualifiedName(item), wanted.contains(name) else { continue }
      labelsByPod[name] = stringMap(item["metadata"]?["labels"])
    }
    var found: [String] = []
    for item in budgetItems {
      guard let name = qualifiedName(item), let namespace = item["metadata"]?["namespace"]?.string
      else { continue }
      let selector = stringMap(item["spec"]?["selector"]?["matchLabels"])
      let selects = labelsByPod.contains { pod, labels in
        pod.hasPrefix(namespace + "/") && selector.allSatisfy { labels[$0.key] == $0.value }
      }
      guard selects else { continue }
      found.append(name + " (" + budgetFigures(item) + ")")
    }
    return found
  }

  /// `minAvailable 2: 2 healthy, 0 disruptions allowed`, from what the budget says.
  private static func budgetFigures(_ item: ParsedJSON) -> String {
    func figure(_ value: ParsedJSON?) -> String? {
      switch value?.kind {
      case .number(let text) where text.count <= 9 && text.allSatisfy(\.isASCII): text
      case .string(let text) where text.count <= 9: text
      default: nil
      }
    }
    let spec = item["spec"]
    let limit =
      figure(spec?["minAvailable"]).map { "minAvailable \($0)" }
      ?? figure(spec?["maxUnavailable"]).map { "maxUnavailable \($0)" } ?? "no minimum"
    let status = item["status"]
    let healthy = figure(status?["currentHealthy"]) ?? "?"
    let allowed = figure(status?["disruptionsAllowed"]) ?? "?"
    return "\(limit): \(healthy) healthy, \(allowed) disruptions allowed"
  }

  private static func listItems(
    _ output: CommandOutput,
    what: String
  ) throws(MicroK8sFailure)
    -> [ParsedJSON]
  {
    if let failure = commonFailure(output, command: "kubectl") ?? apiServerFailure(output) {
      throw failure
    }
    guard output.exitStatus == 0 else { throw fallback(output) }
    let json: ParsedJSON
    do {
      json = try JSONParser.parse(output.stdout)
    } catch {
      throw .malformed(what: what, problem: "not JSON: \(error.message) at byte \(error.offset)")
    }
    guard let items = json["items"]?.elements else {
      throw .malformed(what: what, problem: "no 'items' list")
    }
    return items
  }

  private static func qualifiedName(_ item: ParsedJSON) -> String? {
    guard let namespace = item["metadata"]?["namespace"]?.string,
      let name = item["metadata"]?["name"]?.string
    else { return nil }
    return "\(namespace)/\(name)"
  }

  private static func stringMap(_ value: ParsedJSON?) -> [String: String] {
    var map: [String: String] = [:]
    for member in value?.members ?? [] {
      if let text = member.value.string { map[member.key] = text }
    }
    return map
  }
}
