/// A short description of the cluster a valid topology asks for.
public enum TopologySummary {
  /// One line: cluster, track, node counts, and whether the control plane is HA.
  public static func line(_ topology: Topology) -> String {
    // Counted, not filtered into arrays: a copy of every NodeSpec cost a 10,000-node file
    // a tenth of its whole validate run.
    var present = 0
    var controlPlane = 0
    for node in topology.nodes where node.state == .present {
      present += 1
      if node.role == .mixed { controlPlane += 1 }
    }
    let workers = present - controlPlane
    let absent = topology.nodes.count - present
    var text = "cluster \(topology.cluster.name) (MicroK8s \(topology.cluster.version)): "
    text += "\(plural(present, "node")): \(controlPlane) control plane, "
    text += "\(plural(workers, "worker"))"
    if absent > 0 { text += ", \(absent) to remove" }
    text += "; " + availability(controlPlane)
    return text
  }

  /// What the datastore will look like (microk8s-contract.md section 9).
  public static func availability(_ controlPlane: Int) -> String {
    switch controlPlane {
    case 0: return "no control plane"
    case 1: return "not HA (1 datastore voter)"
    case 2: return "not HA (1 voter, 1 spare)"
    default:
      let standbys = min(3, controlPlane - 3)
      let spares = controlPlane - 3 - standbys
      var parts = ["3 voters"]
      if standbys > 0 { parts.append(plural(standbys, "standby", "standbys")) }
      if spares > 0 { parts.append(plural(spares, "spare")) }
      return "HA (" + parts.joined(separator: ", ") + ")"
    }
  }

  /// A table of the nodes, one per line, columns aligned.
  public static func table(_ topology: Topology) -> String {
    var rows = [["NAME", "ADDRESS", "ROLE", "VERSION", "STATE", "CONNECTION"]]
    for node in topology.nodes {
      rows.append([
        node.name, node.address?.description ?? "-", node.role.rawValue,
        node.version.description, node.state.rawValue, connection(node),
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }

  private static func connection(_ node: NodeSpec) -> String {
    let connection = node.connection
    switch connection.type {
    case .local: return "local"
    case .exec: return "exec: " + (connection.command ?? []).joined(separator: " ")
    case .ssh:
      var target =
        (connection.user.map { $0 + "@" } ?? "") + (node.address?.description ?? node.name)
      if let port = connection.port { target += ":\(port)" }
      if let jump = connection.proxyJump { target += " via " + jump }
      return "ssh " + target
    }
  }

  private static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
  }
}
