/// The `ADDR:PORT/TOKEN[/FINGERPRINT]` argument of `microk8s join` (contract §3.2).
struct JoinConnection: Equatable {
  var ip: String
  var port: String
  var token: String
  var fingerprint: String?

  enum Parsed: Equatable {
    case valid(JoinConnection)
    /// `Invalid connection: <reason>`, exit 1 (1.29+).
    case invalid(String)
    /// An `IndexError` from the unvalidated split of ≤1.28: the failing line of code.
    case crash(code: String)
  }

  static let expectedFormat = "Expected format: <master_IP>:<master_PORT>/<token>[/<fingerprint>]"

  /// `get_valid_connection_parts` from 1.29 on; before, the bare split of `join_dqlite`.
  static func parse(_ text: String, validate: Bool) -> Parsed {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard validate else { return parseUnvalidated(parts) }
    guard (2...3).contains(parts.count) else { return .invalid(expectedFormat) }
    let endpoint = parts[0].split(separator: ":", omittingEmptySubsequences: false)
    guard endpoint.count == 2 else { return .invalid(expectedFormat) }
    guard IPv4.isAddress(String(endpoint[0])) else { return .invalid("Invalid master IP") }
    guard let port = PythonInteger.parse(String(endpoint[1])) else {
      return .invalid("Master PORT not a number")
    }
    guard (1...65535).contains(port) else { return .invalid("Master PORT not in range 1:65535") }
    guard parts[1].count >= World.tokenMinimumLength else {
      return .invalid("Cluster token size should be at least 32 bytes")
    }
    if parts.count == 3, parts[2].count < World.fingerprintMinimumLength {
      return .invalid("Fingerprint should be at least 12 bytes")
    }
    return .valid(
      JoinConnection(
        ip: String(endpoint[0]),
        port: String(endpoint[1]),
        token: parts[1],
        fingerprint: parts.count == 3 ? parts[2] : nil
      )
    )
  }

  /// ≤1.28: `token = connection_parts[1]`, `master_ep = connection_parts[0].rsplit(":", 1)`.
  private static func parseUnvalidated(_ parts: [String]) -> Parsed {
    guard parts.count >= 2 else { return .crash(code: "token = connection_parts[1]") }
    guard let colon = parts[0].lastIndex(of: ":") else {
      return .crash(code: "master_port = master_ep[1]")
    }
    return .valid(
      JoinConnection(
        ip: String(parts[0][..<colon]),
        port: String(parts[0][parts[0].index(after: colon)...]),
        token: parts[1],
        fingerprint: parts.count > 2 ? parts[2] : nil
      )
    )
  }
}
