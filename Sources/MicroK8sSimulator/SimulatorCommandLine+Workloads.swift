/// The simulator's workload commands, for `kubectl drain`: `pod` and `pdb`.
extension SimulatorCommandLine {
  /// `pod add NAMESPACE/NAME --on NODE [--app APP] [--daemonset | --naked] [--emptydir]`:
  /// a Running, Ready pod on the Kubernetes node NODE.
  static func pod(_ arguments: [String], store: StateStore) -> CommandOutcome {
    let usageText =
      "usage: pod add NAMESPACE/NAME --on NODE [--app APP] [--daemonset | --naked] [--emptydir]"
    guard arguments.count >= 2, arguments[0] == "add", let name = qualified(arguments[1]) else {
      return usage(usageText)
    }
    var rest = arguments.dropFirst(2)
    var node: String?
    var pod = SimulatedPod(namespace: name.namespace, name: name.name, node: nil)
    while let argument = rest.first {
      switch argument {
      case "--daemonset": pod.owner = .daemonSet
      case "--naked": pod.owner = .none
      case "--emptydir": pod.emptyDir = true
      case "--on", "--app":
        guard let value = option(argument, in: &rest) else { return usage(usageText) }
        if argument == "--on" { node = value } else { pod.app = value }
        continue
      default: return usage(usageText)
      }
      rest = rest.dropFirst()
    }
    guard let node else { return usage(usageText) }
    pod.node = node
    return withStore(store) { world in
      guard let index = world.clusterHolding(node: node) else {
        return usage("no single datastore holds a node named \(node)")
      }
      world.clusters[index].pods.removeAll { $0.namespace == pod.namespace && $0.name == pod.name }
      world.clusters[index].pods.append(pod)
      return CommandOutcome(exitCode: 0)
    }
  }

  /// `pdb add NAMESPACE/NAME --on NODE --app APP --min-available N`, `pdb delete ...`.
  ///
  /// In the datastore that holds the node NODE (`pdb delete NAMESPACE/NAME --on NODE`).
  /// Adding a budget of an existing name replaces it (how a test relaxes one).
  static func pdb(_ arguments: [String], store: StateStore) -> CommandOutcome {
    let usageText =
      "usage: pdb add NAMESPACE/NAME --on NODE --app APP --min-available N | "
      + "pdb delete NAMESPACE/NAME --on NODE"
    guard arguments.count >= 2, ["add", "delete"].contains(arguments[0]),
      let name = qualified(arguments[1])
    else { return usage(usageText) }
    var rest = arguments.dropFirst(2)
    var values: [String: String] = [:]
    while let argument = rest.first {
      guard ["--on", "--app", "--min-available"].contains(argument),
        let value = option(argument, in: &rest)
      else { return usage(usageText) }
      values[argument] = value
    }
    guard let node = values["--on"] else { return usage(usageText) }
    let adding = arguments[0] == "add"
    var budget: DisruptionBudget?
    if adding {
      guard let app = values["--app"], let text = values["--min-available"],
        let minimum = Int(text), minimum >= 0
      else { return usage(usageText) }
      budget = DisruptionBudget(
        namespace: name.namespace,
        name: name.name,
        app: app,
        minAvailable: minimum
      )
    } else if values.count != 1 {
      return usage(usageText)
    }
    return withStore(store) { world in
      guard let index = world.clusterHolding(node: node) else {
        return usage("no single datastore holds a node named \(node)")
      }
      world.clusters[index].budgets.removeAll {
        $0.namespace == name.namespace && $0.name == name.name
      }
      if let budget { world.clusters[index].budgets.append(budget) }
      return CommandOutcome(exitCode: 0)
    }
  }

  /// `NAMESPACE/NAME`, both parts non-empty.
  private static func qualified(_ text: String) -> (namespace: String, name: String)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    return (String(parts[0]), String(parts[1]))
  }
}

extension World {
  /// The one datastore whose Kubernetes nodes include `node`; nil when none or several.
  func clusterHolding(node: String) -> Int? {
    let holding = clusters.indices.filter { clusters[$0].nodeIndex(named: node) != nil }
    return holding.count == 1 ? holding[0] : nil
  }
}
