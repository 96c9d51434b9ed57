/// `microk8s kubectl cordon|uncordon|drain NODE`: upstream kubectl's node maintenance
/// (kubernetes/kubectl pkg/cmd/drain/drain.go, pkg/drain/drain.go and filters.go).
extension MicroK8sOutput {
  /// Cordon or uncordon: `node/NAME cordoned` (or `already cordoned`, `uncordoned`).
  public static func nodeMaintenance(_ output: CommandOutput, node: String) throws(MicroK8sFailure)
  {
    if output.exitStatus == 0, output.mentions("node/\(node) ") { return }
    try maintenanceFailure(output, node: node)
  }

  /// A drain: `node/NAME drained`, or what kubectl could not do.
  public static func drain(_ output: CommandOutput, node: String) throws(MicroK8sFailure) {
    if output.exitStatus == 0, output.mentions("node/\(node) drained") { return }
    if output.exitStatus != 0, output.mentions("unable to drain node \"\(node)\""),
      let refusal = drainRefusal(output.stderr)
    {
      throw .drainRefused(node: node, refusal)
    }
    try maintenanceFailure(output, node: node)
  }

  private static func maintenanceFailure(
    _ output: CommandOutput,
    node: String
  ) throws(MicroK8sFailure) {
    if output.exitStatus == 0, output.stdout[...].trimmed.hasPrefix(workerStatusLine) {
      throw .workerNode(command: "kubectl")
    }
    if output.exitStatus != 0, output.mentions("nodes \"\(node)\" not found") {
      throw .nodeNotRegistered(name: node)
    }
    if let failure = commonFailure(output, command: "kubectl") ?? apiServerFailure(output) {
      throw failure
    }
    throw fallback(output)
  }

  /// The refusal in drain's last `error: ` line; nil when there is no such line.
  ///
  /// One error, or several in brackets (Go's aggregate), each `cannot delete REASON: ns/a,
  /// ns/b` or `error when evicting pods/"NAME" -n "NS": ...`.
  static func drainRefusal(_ stderr: String) -> DrainRefusal? {
    guard
      let line = stderr.split(whereSeparator: \.isNewline).last(where: {
        $0.hasPrefix("error: ") && !$0.hasPrefix("error: unable to drain")
      })
    else { return nil }
    var text = line.dropFirst("error: ".count)
    if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
    var refusal = DrainRefusal()
    for error in splitErrors(text) {
      if error.hasPrefix("cannot delete "), let colon = error.firstRange(of: ": ") {
        let reason = error[error.index(error.startIndex, offsetBy: 14)..<colon.lowerBound]
        let pods = error[colon.upperBound...].split(separator: ", ").map(String.init)
        refusal.unmovable.append(.init(reason: String(reason), pods: pods))
      } else if let (pod, rest) = evictedPod(error) {
        if let timeout = rest.firstRange(of: "global timeout reached: ") {
          refusal.refusedEvictions.append(pod)
          refusal.timeout = String(rest[timeout.upperBound...])
        } else {
          refusal.otherErrors.append(error)
        }
      } else {
        refusal.otherErrors.append(error)
      }
    }
    return refusal
  }

  /// The errors of an aggregate, at each `cannot delete ` or `error when evicting pods/`
  /// that follows `, ` (pod lists also hold `, `, but never those words).
  private static func splitErrors(_ text: Substring) -> [String] {
    var errors: [String] = []
    var current = ""
    var rest = text
    while !rest.isEmpty {
      if rest.hasPrefix(", cannot delete ") || rest.hasPrefix(", error when evicting pods/") {
        errors.append(current)
        current = ""
        rest = rest.dropFirst(2)
        continue
      }
      current.append(rest.removeFirst())
    }
    if !current.isEmpty { errors.append(current) }
    return errors
  }

  /// `error when evicting pods/"NAME" -n "NS": REST` as (`NS/NAME`, REST).
  private static func evictedPod(_ error: String) -> (String, Substring)? {
    let prefix = "error when evicting pods/\""
    guard error.hasPrefix(prefix) else { return nil }
    let afterName = error.dropFirst(prefix.count)
    guard let nameEnd = afterName.firstIndex(of: "\"") else { return nil }
    let name = afterName[..<nameEnd]
    let afterFlag = afterName[nameEnd...].dropFirst()
    guard afterFlag.hasPrefix(" -n \"") else { return nil }
    let namespaceStart = afterFlag.dropFirst(5)
    guard let namespaceEnd = namespaceStart.firstIndex(of: "\"") else { return nil }
    let rest = namespaceStart[namespaceEnd...].dropFirst()
    guard rest.hasPrefix(": ") else { return nil }
    return ("\(namespaceStart[..<namespaceEnd])/\(name)", rest.dropFirst(2))
  }
}
