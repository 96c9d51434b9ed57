/// What the decoder read, field by field, before cross-node checks and defaults.
///
/// A field is nil when it was missing or invalid (invalid ones already have a
/// diagnostic), so the validator can still check the rest of the file.
struct TopologyDraft {
  var rootPosition = SourcePosition.start
  var clusterName: String?
  var clusterVersion: Track?
  var clusterPosition: SourcePosition?
  var defaultConnection = ConnectionDraft()
  var defaultConnectionPosition: SourcePosition?
  var defaultMicroK8s: [String]?
  var policy = Policy()
  var nodes: [NodeDraft] = []
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
  var connection = ConnectionDraft()
  var microk8s: [String]?
  var positions = NodeSpec.Positions()

  var effectiveRole: Role { role ?? .mixed }
  var effectiveState: NodeState { state ?? .present }
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
      commandWritten: commandWritten || defaults.commandWritten
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
      command: command
    )
  }
}
