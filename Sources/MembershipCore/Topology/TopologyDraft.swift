/// What the decoder read, field by field, before cross-node checks and defaults.
///
/// A field is nil when it was missing or invalid (invalid ones already have a
/// diagnostic), so the validator can still check the rest of the file.
struct TopologyDraft {
  var rootPosition = SourcePosition.start
  var clusterName: String?
  var clusterVersion: Track?
  var clusterPosition: SourcePosition?
  var clusterNamePosition: SourcePosition?
  var clusterVersionPosition: SourcePosition?
  var defaultConnection = ConnectionDraft()
  var defaultConnectionPosition: SourcePosition?
  var defaultMicroK8s: [String]?
  var defaultSnap: [String]?
  var policy = Policy()
  var nodes: [NodeDraft] = []
  /// The `connection:` blocks of the nodes that have one, by index in `nodes`.
  ///
  /// Kept apart because most nodes only inherit defaults, and a block is large.
  var nodeConnections: [Int: ConnectionDraft] = [:]
  var nodesPosition: SourcePosition?
  /// Set when some node's role or state was invalid: counting control-plane nodes
  /// would then report problems that are not there.
  var rolesUncertain = false
}

struct NodeDraft {
  var name: String?
  /// The name as written, even when invalid, so duplicates are still found.
  var nameText: String?
  var address: NodeAddress?
  var role: Role?
  var version: Track?
  var state: NodeState?
  var microk8s: [String]?
  var snap: [String]?
  var positions = NodeSpec.Positions()

  var effectiveRole: Role { role ?? .mixed }
  var effectiveState: NodeState { state ?? .present }
}

extension TopologyDraft {
  /// The node's own `connection:` block, empty when it has none.
  func connection(ofNode index: Int) -> ConnectionDraft {
    nodeConnections[index] ?? ConnectionDraft()
  }
}

/// A `connection:` block as written; unset fields inherit from `defaults.connection`.
struct ConnectionDraft {
  var type: ConnectionType?
  var user: String?
  var port: Int?
  var identityFile: String?
  var proxyJump: String?
  var knownHostsFile: String?
  var hostKeyChecking: HostKeyChecking?
  var command: [String]?
  /// Set when `command` was written, even if invalid (its own error says why), so
  /// the missing-command rule does not report it a second time.
  var commandWritten = false
  var positions = ConnectionPositionsDraft()

  /// This block's fields, with `defaults` filling the ones it leaves unset.
  func merged(over defaults: ConnectionDraft) -> ConnectionDraft {
    ConnectionDraft(
      type: type ?? defaults.type,
      user: user ?? defaults.user,
      port: port ?? defaults.port,
      identityFile: identityFile ?? defaults.identityFile,
      proxyJump: proxyJump ?? defaults.proxyJump,
      knownHostsFile: knownHostsFile ?? defaults.knownHostsFile,
      hostKeyChecking: hostKeyChecking ?? defaults.hostKeyChecking,
      command: command ?? defaults.command,
      commandWritten: commandWritten || defaults.commandWritten,
      positions: positions.merged(over: defaults.positions)
    )
  }

  var resolved: Connection {
    Connection(
      type: type ?? .ssh,
      user: user,
      port: port,
      identityFile: identityFile,
      proxyJump: proxyJump,
      knownHostsFile: knownHostsFile,
      hostKeyChecking: hostKeyChecking ?? .strict,
      command: command,
      positions: positions.boxed
    )
  }
}

/// Where each field of a `connection:` block was written, while decoding.
struct ConnectionPositionsDraft {
  var type: SourcePosition?
  var user: SourcePosition?
  var port: SourcePosition?
  var identityFile: SourcePosition?
  var proxyJump: SourcePosition?
  var knownHostsFile: SourcePosition?
  var hostKeyChecking: SourcePosition?
  var command: SourcePosition?

  mutating func record(_ key: String, at position: SourcePosition) {
    switch key {
    case "type": type = position
    case "user": user = position
    case "port": port = position
    case "identityFile": identityFile = position
    case "proxyJump": proxyJump = position
    case "knownHostsFile": knownHostsFile = position
    case "hostKeyChecking": hostKeyChecking = position
    case "command": command = position
    default: break
    }
  }

  func merged(over defaults: ConnectionPositionsDraft) -> ConnectionPositionsDraft {
    ConnectionPositionsDraft(
      type: type ?? defaults.type,
      user: user ?? defaults.user,
      port: port ?? defaults.port,
      identityFile: identityFile ?? defaults.identityFile,
      proxyJump: proxyJump ?? defaults.proxyJump,
      knownHostsFile: knownHostsFile ?? defaults.knownHostsFile,
      hostKeyChecking: hostKeyChecking ?? defaults.hostKeyChecking,
      command: command ?? defaults.command
    )
  }

  /// The shared, immutable form a resolved `Connection` carries.
  var boxed: Connection.Positions {
    Connection.Positions(
      type: type,
      user: user,
      port: port,
      identityFile: identityFile,
      proxyJump: proxyJump,
      knownHostsFile: knownHostsFile,
      hostKeyChecking: hostKeyChecking,
      command: command
    )
  }
}
