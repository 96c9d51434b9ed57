/// `microk8s kubectl` for the node and namespace objects: `get nodes [-o json]`,
/// `get node NAME -o json`, `get nodes,namespaces -o json`, `get namespace NAME -o json`
/// and `delete node NAME` (contract §7).
extension World {
  mutating func kubectl(_ command: Command) -> CommandOutcome {
    let index = command.hostIndex
    var transcript = Transcript()
    if hosts[index].mode == .worker {
      // contract §1: a message, exit 0, and no JSON.
      transcript.out(WrapperMessages.workerKubectl)
      return transcript.exit(0)
    }
    if let failure = permissionFailure(command) { return failure }
    let clusterIndex = clusterIndex(hosts[index].cluster)
    if let error = kubectlFailure(
      command,
      clusterIndex: clusterIndex,
      fault: .kubectlAPIUnavailable
    ) {
      transcript.err(error)
      return transcript.exit(1)
    }
    if let clusterIndex, let outcome = kubectlWait(command, clusterIndex: clusterIndex) {
      return outcome
    }
    if let clusterIndex, let outcome = kubectlMaintenance(command, clusterIndex: clusterIndex) {
      return outcome
    }
    if let clusterIndex, let outcome = kubectlWorkloads(command, clusterIndex: clusterIndex) {
      return outcome
    }
    guard let clusterIndex, let request = KubectlRequest(command.arguments) else {
      let text = command.arguments.joined(separator: " ")
      return .simulatorError("'kubectl \(text)' is not simulated", exitCode: 1)
    }
    let cluster = clusters[clusterIndex]
    if request.resources == [.leases] {
      return leases(request, in: cluster, now: command.now, into: &transcript)
    }
    var nodes = request.resources.contains(.nodes) ? cluster.nodes : []
    var namespaces = request.resources.contains(.namespaces) ? cluster.namespaces : []
    if let name = request.name {
      nodes = nodes.filter { $0.name == name }
      namespaces = namespaces.filter { $0.name == name }
      if nodes.isEmpty && namespaces.isEmpty {
        let kind = request.resources == [.nodes] ? "nodes" : "namespaces"
        transcript.err("Error from server (NotFound): \(kind) \"\(name)\" not found")
        return transcript.exit(1)
      }
    }
    if request.delete {
      clusters[clusterIndex].nodes.removeAll { $0.name == request.name }
      collectOrphanedPods(clusterIndex: clusterIndex, now: command.now)
      transcript.out("node \"\(request.name ?? "")\" deleted")
      return transcript.exit(0)
    }
    var items: [JSONDocument] = []
    var rows: [[String]] = []
    for resource in request.resources {
      switch resource {
      case .nodes:
        for node in nodes {
          let readiness = readiness(of: node, in: cluster, at: command.now)
          items.append(NodeListRenderer.node(node, readiness: readiness, now: command.now))
          rows.append([
            // kubectl shows a cordoned node as `Ready,SchedulingDisabled`.
            node.name,
            (readiness == .ready ? "Ready" : "NotReady")
              + (node.unschedulable ? ",SchedulingDisabled" : ""), "<none>",
            Timestamp.age(command.now - node.createdAt), node.kubeletVersion,
          ])
        }
      case .leases:
        break
      case .namespaces:
        for namespace in namespaces {
          items.append(
            NodeListRenderer.namespace(namespace.name, uid: namespace.uid, at: cluster.createdAt)
          )
        }
      }
    }
    if request.json {
      // One object when asked by name, else a List (kubectl's `kind: List` for any type).
      let document = request.name == nil ? NodeListRenderer.list(items) : items[0]
      transcript.out(document.rendered(indent: 4, sortKeys: true))
    } else if request.resources == [.namespaces] {
      let rows = namespaces.map {
        [$0.name, "Active", Timestamp.age(command.now - cluster.createdAt)]
      }
      Self.table(header: ["NAME", "STATUS", "AGE"], rows: rows).forEach { transcript.out($0) }
    } else {
      Self.table(header: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], rows: rows).forEach {
        transcript.out($0)
      }
    }
    return transcript.exit(0)
  }

  /// Why kubectl cannot talk to this node's API server, as kubectl reports it.
  ///
  /// `nil` when it can. Stopped nodes fail in the kubectl wrapper (contract §1); a node
  /// without its datastore entry has no API server; a datastore without quorum times
  /// out (§9).
  mutating func kubectlFailure(
    _ command: Command,
    clusterIndex: Int?,
    fault: FaultKind
  ) -> String? {
    if isStopped(command) { return WrapperMessages.stopped }
    let host = hosts[command.hostIndex]
    if takeFault(fault, host: host.address, verb: command.verb) {
      return WrapperMessages.apiRefused
    }
    guard let clusterIndex, isAttached(host) else { return WrapperMessages.apiRefused }
    return hasQuorum(clusters[clusterIndex]) ? nil : WrapperMessages.apiTimeout
  }

  /// Columns padded as kubectl's tabwriter pads them: three spaces between columns.
  static func table(header: [String], rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
      var line = ""
      for (column, cell) in row.enumerated() {
        let last = column == row.count - 1
        line += last ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 3)
      }
      return line
    }
  }
}
