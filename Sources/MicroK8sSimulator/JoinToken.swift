/// One line of a host's `credentials/cluster-tokens.txt` (contract §2.3).
///
/// A token without expiry is single use: the first join that presents it consumes it,
/// whatever happens next (contract §3.4, "token burn"). A token with an expiry is never
/// consumed and works for any number of joins until then.
public struct JoinToken: Codable, Sendable, Equatable {
  public var token: String
  /// Unix seconds; `nil` for `--token-ttl -1`.
  public var expiresAt: Int?

  public init(token: String, expiresAt: Int?) {
    self.token = token
    self.expiresAt = expiresAt
  }

  /// `now + ttl`, rounded as `add_token.py` does; `-1` is the single-use default.
  ///
  /// Python adds without overflow; here a TTL near `Int.max` saturates: never expiring.
  public init(token: String, ttl: Int, now: Double) {
    self.token = token
    let (sum, overflow) = Int(now.rounded()).addingReportingOverflow(ttl)
    expiresAt = ttl == -1 ? nil : overflow ? (ttl > 0 ? Int.max : Int.min) : sum
  }

  func isValid(at now: Double) -> Bool {
    guard let expiresAt else { return true }
    return now < Double(expiresAt)
  }
}

extension [JoinToken] {
  /// The cluster agent's `ConsumeClusterToken`: the first matching line that is still
  /// valid admits the join, and is removed when it is single use (contract §2.3).
  mutating func consume(_ token: String, now: Double) -> Bool {
    guard let index = firstIndex(where: { $0.token == token && $0.isValid(at: now) }) else {
      return false
    }
    if self[index].expiresAt == nil { remove(at: index) }
    return true
  }
}
