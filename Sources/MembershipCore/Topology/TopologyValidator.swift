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
    // Values are indices into the nodes: cheap to store, and drafts are never copied.
    var names = UniqueIndex<String>(capacity: draft.nodes.count)
    var addresses = UniqueIndex<NodeAddress>(capacity: draft.nodes.count)
    for index in draft.nodes.indices {
      if let text = draft.nodes[index].nameText {
        let hasUppercase = text.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        let key = hasUppercase || !text.utf8.allSatisfy({ $0 < 0x80 }) ? text.lowercased() : text
        if let firstIndex = names.insert(key, hash: nameHash(key), owner: index) {
          let first = (
            text: draft.nodes[firstIndex].nameText ?? "",
            position: draft.nodes[firstIndex].positions.name
          )
          let sameCase = first.text == text
          diagnostics.append(
            .error(
              sameCase
                ? "duplicate node name \(text.shown)"
                : "node name \(text.shown) equals \(first.text.shown) ignoring case; names must be unique",
              file: file,
              at: draft.nodes[index].positions.name,
              notes: [.note("first declared here", file: file, at: first.position)]
            )
          )
        }
      }
      if let address = draft.nodes[index].address {
        if let firstIndex = addresses.insert(address, hash: address.hashValue64, owner: index) {
          let first = (
            name: draft.nodes[firstIndex].name, position: draft.nodes[firstIndex].positions.address
          )
          let owner = first.name.map { " by node '\($0)'" } ?? ""
          diagnostics.append(
            .error(
              "duplicate address \(address): already used\(owner)",
              file: file,
              at: draft.nodes[index].positions.address,
              notes: [.note("first declared here", file: file, at: first.position)]
            )
          )
        }
      }
    }
  }

  private static func nameHash(_ name: String) -> UInt64 {
    var name = name
    return name.withUTF8 { UniqueIndex<String>.hash($0) }
  }

  private static func checkControlPlane(
    _ draft: TopologyDraft,
    file: String,
    into diagnostics: inout [Diagnostic]
  ) {
    guard !draft.nodes.isEmpty, !draft.rolesUncertain else { return }
    // Indices, not copies: drafts are large and a file may list thousands of nodes.
    var controlPlane: [Int] = []
    var workers: [Int] = []
    for index in draft.nodes.indices where draft.nodes[index].effectiveState == .present {
      if draft.nodes[index].effectiveRole == .mixed {
        controlPlane.append(index)
      } else {
        workers.append(index)
      }
    }
    switch controlPlane.count {
    case 0 where !workers.isEmpty:
      let first = draft.nodes[workers[0]]
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
          at: draft.nodes[controlPlane[1]].positions.node
        )
      )
    case let count where count >= 4 && count % 2 == 0:
      diagnostics.append(
        .warning(
          "\(count) control-plane nodes: an even count adds no fault tolerance over "
            + "\(count - 1) (the datastore keeps 3 voters; the rest are standbys and spares)",
          file: file,
          at: draft.nodes[controlPlane[count - 1]].positions.node
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
    for index in draft.nodes.indices {
      let own = draft.connection(ofNode: index)
      let type = own.type ?? draft.defaultConnection.type
      let hasCommand = own.commandWritten || draft.defaultConnection.commandWritten
      if type == .exec, !hasCommand {
        let node = draft.nodes[index]
        if own.type == .exec || draft.defaultConnectionPosition == nil {
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
      if let version = draft.nodes[index].version, let cluster = draft.clusterVersion,
        !version.matches(cluster)
      {
        let node = draft.nodes[index]
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
