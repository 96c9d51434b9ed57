/// Renders a `ClusterStatus` as a table for people and as JSON for tools, from the one
/// value.
public enum StatusRenderer {
  /// A header line, one row per node with drift markers, and a closing line.
  public static func text(_ status: ClusterStatus) -> String {
    var output = "Cluster \(status.cluster): "
    if let contact = status.contact {
      output += "read through \(contact); \(voters(status.voterCount))"
      output +=
        status.highAvailability ? " (highly available).\n" : " (not highly available).\n"
      if let identity = status.identity { output += "Identity: \(identity) (kube-system UID).\n" }
      output += "\n"
    } else {
      output += "no member answered; nothing is known of its membership.\n\n"
    }
    let header = [
      "NAME", "ADDRESS", "ROLE", "WANTED", "READY", "VERSION", "DATASTORE", "REACHABLE", "DRIFT",
    ]
    let rows = status.rows.map(cells)
    var widths = header.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    for row in [header] + rows {
      let padded = row.enumerated().map { column, cell in
        column == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
      }
      output += padded.joined(separator: "  ") + "\n"
    }
    output += "\n"
    // What a table cell cannot say: a host whose MicroK8s runs under the low-memory
    // guard, which status otherwise shows only as not joined.
    for row in status.rows {
      guard case .lowMemoryGuard = row.probe else { continue }
      let advice =
        row.desiredRole == .worker
        ? "it can join as a worker" : "it cannot be a control-plane node; make it a worker"
      output +=
        "\(row.name): MicroK8s keeps its low-memory guard (512 MiB of RAM or less); "
        + advice + ".\n"
    }
    if status.rows.contains(where: { if case .lowMemoryGuard = $0.probe { true } else { false } }) {
      output += "\n"
    }
    let drifting = status.driftCount
    output +=
      drifting == 0
      ? "Every node matches the topology.\n"
      : "\(drifting) of \(status.rows.count) nodes differ from the topology or need attention; "
        + "'mktopo plan' shows what would change.\n"
    return output
  }

  private static func voters(_ count: Int) -> String {
    count == 1 ? "1 datastore voter" : "\(count) datastore voters"
  }

  private static func cells(_ row: ClusterStatus.Row) -> [String] {
    let wanted =
      !row.inTopology
      ? (row.drift.contains(.ghost) ? "-" : "unlisted")
      : row.absent ? "absent" : row.desiredRole?.rawValue ?? "-"
    let reachable = row.reachable.map { $0 ? "yes" : "no" } ?? "not asked"
    return [
      row.name,
      row.address?.description ?? "-",
      row.role?.rawValue ?? "-",
      wanted,
      row.role == nil ? "-" : row.ready ? "yes" : "no",
      version(row),
      row.datastoreRole?.rawValue ?? "-",
      reachable,
      row.drift.isEmpty ? "-" : row.drift.map(\.rawValue).joined(separator: ","),
    ]
  }

  /// The version it runs, and beside it the one the file asks for when they differ:
  /// `v1.28.3 (wants 1.30)`.
  private static func version(_ row: ClusterStatus.Row) -> String {
    guard let version = row.version else { return "-" }
    guard row.drift.contains(.versionDiffers), let wanted = row.desiredVersion else {
      return version
    }
    return "\(version) (wants \(wanted))"
  }

  /// The JSON form: per node the fields of DESIGN.md section 6 (`name`, `address`,
  /// `role`, `ready`, `version`, `datastoreRole`, `inTopology`, `reachable`), then what
  /// the file wants, what a probe found, and the drift markers.
  public static func json(_ status: ClusterStatus) -> String {
    JSONValue.object([
      ("formatVersion", .integer(1)),
      ("cluster", .string(status.cluster)),
      ("contact", status.contact.map { .string($0) } ?? .null),
      ("identity", status.identity.map { .string($0) } ?? .null),
      ("voters", .integer(status.voterCount)),
      ("highAvailability", .boolean(status.highAvailability)),
      ("drift", .integer(status.driftCount)),
      ("nodes", .array(status.rows.map(json))),
    ]).rendered()
  }

  private static func json(_ row: ClusterStatus.Row) -> JSONValue {
    .object([
      ("name", .string(row.name)),
      ("address", row.address.map { .string($0.description) } ?? .null),
      ("role", row.role.map { .string($0.rawValue) } ?? .null),
      ("ready", .boolean(row.ready)),
      ("version", row.version.map { .string($0) } ?? .null),
      ("datastoreRole", row.datastoreRole.map { .string($0.rawValue) } ?? .null),
      ("inTopology", .boolean(row.inTopology)),
      ("reachable", row.reachable.map { .boolean($0) } ?? .null),
      ("desiredRole", row.desiredRole.map { .string($0.rawValue) } ?? .null),
      ("desiredVersion", row.desiredVersion.map { .string($0) } ?? .null),
      ("state", row.inTopology ? .string(row.absent ? "absent" : "present") : .null),
      ("probe", row.probe.map { .string(probeName($0)) } ?? .null),
      ("drift", .array(row.drift.map { .string($0.rawValue) })),
    ])
  }

  private static func probeName(_ finding: NodeProbe.Finding) -> String {
    switch finding {
    case .standalone: "standalone"
    case .memberOfAnotherCluster: "member-of-another-cluster"
    case .microK8sMissing: "microk8s-missing"
    case .lowMemoryGuard: "low-memory-guard"
    case .notReady: "not-ready"
    case .notPermitted: "not-permitted"
    case .unreachable: "unreachable"
    }
  }
}
