import Glibc
import MembershipCore

/// Picks the transport for each node and builds the argv that runs MicroK8s on it.
///
/// ```swift
/// let transports = TransportFactory(stateDirectory: stateDir)
/// let transport = transports.transport(for: node)
/// let argv = TransportFactory.microk8s(["status", "--format", "yaml"], on: node)
/// let result = try await transport.run(Invocation(argv, display: "microk8s status", ...))
/// await transports.closeConnections(to: topology.nodes)
/// ```
public struct TransportFactory: Sendable {
  public var ssh: SSHOptions

  public init(ssh: SSHOptions) {
    self.ssh = ssh
  }

  /// Shares ssh connections through sockets under `stateDirectory`, and expands `~/`
  /// with `$HOME`.
  public init(stateDirectory: String, homeDirectory: String? = TransportFactory.currentHome) {
    self.init(
      ssh: SSHOptions(
        controlDirectory: SSHControlDirectory.prepare(stateDirectory: stateDirectory),
        homeDirectory: homeDirectory
      )
    )
  }

  /// The transport the node's `connection.type` asks for, named after the node.
  public func transport(for node: NodeSpec) -> any Transport {
    switch node.connection.type {
    case .ssh:
      SSHTransport(
        host: node.name,
        destination: node.address?.description ?? node.name,
        connection: node.connection,
        options: ssh
      )
    case .local:
      LocalTransport(host: node.name)
    case .exec:
      ExecTransport(
        host: node.name,
        prefix: CommandTemplate.expand(node.connection.command ?? [], for: node)
      )
    }
  }

  /// The argv that runs `microk8s <arguments>` on the node: its `microk8s` argv with
  /// `{name}` and `{address}` expanded, then `arguments` as they are.
  public static func microk8s(_ arguments: [String], on node: NodeSpec) -> [String] {
    CommandTemplate.expand(node.microk8s, for: node) + arguments
  }

  /// The argv that runs `snap <arguments>` on the node: its `snapCommand` with `{name}`
  /// and `{address}` expanded; nil when the node has none.
  public static func snap(_ arguments: [String], on node: NodeSpec) -> [String]? {
    node.snapCommand.map { CommandTemplate.expand($0, for: node) + arguments }
  }

  /// Closes the shared ssh connections to `nodes`, in parallel, best effort.
  public func closeConnections(to nodes: [NodeSpec]) async {
    await withTaskGroup(of: Void.self) { group in
      for node in nodes where node.connection.type == .ssh {
        guard let transport = transport(for: node) as? SSHTransport else { continue }
        group.addTask { await transport.closeConnection() }
      }
    }
  }

  /// `$HOME`: the one place the transports read the environment.
  public static var currentHome: String? {
    guard let value = getenv("HOME") else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
  }
}
