/// Rules that span nodes: uniqueness, the control plane, and inherited settings.
///
/// Runs on the decoder's draft so that it still checks the valid part of a file that
/// has other errors.
enum TopologyValidator {
  static func validate(_ draft: TopologyDraft, file: String) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    checkUniqueness(draft, file: file, into: &diagnostics)
    checkControlPlane(draft, file: file, into: &diagnostics)
    checkInheritance(draft, file: file, into: &diagnostics)
    return diagnostics
  }

  private static func checkUniqueness(
    _ draft: TopologyDraft,
    file: String,
    into diagnostics: inout [Diagnostic]
  ) {
    var names: [String: (text: String, position: SourcePosition?)] = [:]
    var addresses: [NodeAddress: (name: String?, position: SourcePosition?)] = [:]
    names.reserveCapacity(draft.nodes.count)
    addresses.reserveCapacity(draft.nodes.count)
    for node in draft.nodes {
      if let text = node.nameText {
        let key = text.lowercased()
        if let first = names[key] {
          let sameCase = first.text == text
          diagnostics.append(
            .error(
              sameCase
                ? "duplicate node name \(text.shown)"
                : "node name \(text.shown) equals \(first.text.shown) ignoring case; names must be unique",
              file: file,
              at: node.positions.name,
              notes: [.note("first declared here", file: file, at: first.position)]
            )
          )
        } else {
          names[key] = (text, node.positions.name)
        }
      }
      if let address = node.address {
        if let first = addresses[address] {
          let owner = first.name.map { " by node '\($0)'" } ?? ""
          diagnostics.append(
            .error(
              "duplicate address \(address): already used\(owner)",
              file: file,
              at: node.positions.address,
              notes: [.note("first declared here", file: file, at: first.position)]
            )
          )
        } else {
          addresses[address] = (node.name, node.positions.address)
        }
      }
    }
  }

  private static func checkControlPlane(
    _ draft: TopologyDraft,
    file: String,
    into diagnostics: inout [Diagnostic]
  ) {
    guard !draft.nodes.isEmpty, !draft.rolesUncertain else { return }
    let present = draft.nodes.filter { $0.effectiveState == .present }
    let controlPlane = present.filter { $0.effectiveRole == .mixed }
    let workers = present.filter { $0.effectiveRole == .worker }
    switch controlPlane.count {
    case 0 where !workers.isEmpty:
      let first = workers[0]
      diagnostics.append(
        .error(
          "workers without a control plane: \(workers.count) worker node(s) but no present "
            + "node with role 'mixed'; workers can only join a cluster that has one",
          file: file,
          at: first.positions.role ?? first.positions.node
        )
      )
    case 0:
      diagnostics.append(
        .error(
          "no control-plane node: every node is 'state: absent'; keep at least one present "
            + "node with role 'mixed'",
          file: file,
          at: draft.nodesPosition
        )
      )
    case 2:
      diagnostics.append(
        .warning(
          "2 control-plane nodes do not give high availability: a 2-node datastore has 1 "
            + "voter and 1 spare, so losing the voter stops the cluster; add a third mixed node",
          file: file,
          at: controlPlane[1].positions.node
        )
      )
    case let count where count >= 4 && count % 2 == 0:
      diagnostics.append(
        .warning(
          "\(count) control-plane nodes: an even count adds no fault tolerance over "
            + "\(count - 1) (the datastore keeps 3 voters; the rest are standbys and spares)",
          file: file,
          at: controlPlane[count - 1].positions.node
        )
      )
    default:
      break
    }
  }

  private static func checkInheritance(
    _ draft: TopologyDraft,
    file: String,
    into diagnostics: inout [Diagnostic]
  ) {
    var reportedDefaults = false
    for node in draft.nodes {
      let connection = node.connection.merged(over: draft.defaultConnection)
      if connection.type == .exec, connection.command == nil {
        if node.connection.type == .exec || draft.defaultConnectionPosition == nil {
          diagnostics.append(
            .error(
              "connection type 'exec' needs 'command', the argv prefix that runs a command on "
                + "the node (e.g. [\"lxc\", \"exec\", \"{name}\", \"--\"])",
              file: file,
              at: node.positions.connection ?? node.positions.node
            )
          )
        } else if !reportedDefaults {
          reportedDefaults = true
          diagnostics.append(
            .error(
              "'defaults.connection' sets type 'exec' without 'command', and some nodes do not "
                + "set one (e.g. [\"lxc\", \"exec\", \"{name}\", \"--\"])",
              file: file,
              at: draft.defaultConnectionPosition
            )
          )
        }
      }
      if let version = node.version, let cluster = draft.clusterVersion, !version.matches(cluster) {
        let name = node.name.map { "'\($0)'" } ?? "this node"
        diagnostics.append(
          .warning(
            "node \(name) asks for MicroK8s \(version) but the cluster runs \(cluster); "
              + "joining it stays blocked until the versions match",
            file: file,
            at: node.positions.version
          )
        )
      }
    }
  }
}
