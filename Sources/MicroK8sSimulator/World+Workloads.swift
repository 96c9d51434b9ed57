/// `microk8s kubectl get pods|pdb (-A | -n NS) [--field-selector spec.nodeName=NODE]
/// -o json`: the simulated pods and budgets, listed as kubectl lists them.
extension World {
  mutating func kubectlWorkloads(_ command: Command, clusterIndex: Int) -> CommandOutcome? {
    let arguments = command.arguments
    guard arguments.count >= 2, arguments[0] == "get" else { return nil }
    let podWords: Set = ["pod", "pods", "po"]
    let budgetWords: Set = ["pdb", "poddisruptionbudget", "poddisruptionbudgets"]
    let kind = arguments[1]
    guard podWords.contains(kind) || budgetWords.contains(kind) else { return nil }
    var namespace: String?
    var allNamespaces = false
    var node: String?
    var json = false
    var rest = arguments.dropFirst(2)
    while let argument = rest.first {
      rest = rest.dropFirst()
      switch argument {
      case "-A", "--all-namespaces": allNamespaces = true
      case "-o", "--output", "-n", "--namespace", "--field-selector":
        guard let value = rest.first else { return notSimulated(arguments) }
        rest = rest.dropFirst()
        switch argument {
        case "-o", "--output": json = value == "json"
        case "--field-selector":
          guard value.hasPrefix("spec.nodeName=") else { return notSimulated(arguments) }
          node = String(value.dropFirst("spec.nodeName=".count))
        default: namespace = value
        }
      case "-ojson", "-o=json", "--output=json": json = true
      default: return notSimulated(arguments)
      }
    }
    guard json, !(allNamespaces && namespace != nil) else { return notSimulated(arguments) }
    let namespaceFilter = allNamespaces ? nil : namespace ?? "default"
    let cluster = clusters[clusterIndex]
    var items: [JSONDocument] = []
    if podWords.contains(kind) {
      items = cluster.pods.filter { pod in
        (namespaceFilter.map { pod.namespace == $0 } ?? true)
          && (node.map { pod.node == $0 } ?? true)
      }.map { WorkloadRenderer.pod($0, now: command.now) }
    } else {
      guard node == nil else { return notSimulated(arguments) }
      items = cluster.budgets.filter { budget in
        namespaceFilter.map { budget.namespace == $0 } ?? true
      }
      .map { WorkloadRenderer.budget($0, pods: cluster.pods, now: command.now) }
    }
    var transcript = Transcript()
    transcript.out(NodeListRenderer.list(items).rendered(indent: 4, sortKeys: true))
    return transcript.exit(0)
  }

  private func notSimulated(_ arguments: [String]) -> CommandOutcome {
    .simulatorError("'kubectl \(arguments.joined(separator: " "))' is not simulated", exitCode: 1)
  }
}
