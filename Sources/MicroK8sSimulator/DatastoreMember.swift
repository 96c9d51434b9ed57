/// One entry of the dqlite cluster, as `dqlite .cluster` lists it (contract §6, §9).
public struct DatastoreMember: Codable, Sendable, Equatable {
  public enum Role: String, Codable, Sendable, CaseIterable {
    case voter
    case standby
    case spare
  }

  /// `IP:19001`; `127.0.0.1:19001` on a node nobody has joined yet.
  public var address: String
  /// The address of the simulated host running this member.
  public var host: String
  public var role: Role

  public init(address: String, host: String, role: Role) {
    self.address = address
    self.host = host
    self.role = role
  }

  /// The port every MicroK8s node's dqlite listens on (contract §1).
  public static let port = 19001

  public static func address(of ip: String) -> String { "\(ip):\(port)" }
}
