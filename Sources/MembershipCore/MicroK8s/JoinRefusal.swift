/// The cluster agent's refusal of a join, as the joining node prints it (exit 6):
/// `Connection failed. <Error> (<HTTP status>).` (contract section 3.4).
///
/// The agent's wording changed between versions ("Invalid token", "invalid cluster
/// token"; "(504)" before 1.29 and "(500)" after for a ghost), so rows are told apart by
/// the words that every version shares.
struct JoinRefusal {
  /// The error text, without the status; empty when the agent sent none.
  var message: Substring
  /// The HTTP status; 0 when the line has none.
  var status: Int

  init(line: Substring) {
    var body = line
    if let range = line.firstRange(of: "Connection failed.") { body = line[range.upperBound...] }
    body = body.trimmed
    if body.hasSuffix(".") { body = body.dropLast() }
    status = 0
    if body.hasSuffix(")"), let open = body.lastIndex(of: "(") {
      let digits = body[body.index(after: open)..<body.index(before: body.endIndex)]
      // An HTTP status has three digits; anything else in the parentheses stays in the text.
      if digits.utf8.count == 3, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
        let number = Int(digits)
      {
        status = number
        body = body[..<open].trimmed
      }
    }
    if body.hasSuffix(".") { body = body.dropLast() }
    message = body
  }

  var failure: MicroK8sFailure {
    let lower = message.lowercased()
    let detail = Redaction.excerpt(String(message), limit: 300)
    if lower.contains("invalid token") || lower.contains("invalid cluster token") {
      return .invalidToken
    }
    if lower.contains("not an ha microk8s cluster") { return .notHighAvailability }
    if lower.contains("cluster agent port") { return .agentPortMismatch(detail: detail) }
    if lower.contains("has the same ip") {
      return .joiningItself(address: field(after: "same IP") ?? "the contact's address")
    }
    if lower.contains("does not resolve to the ip") {
      return .hostnameDoesNotResolve(
        hostname: field(after: "hostname") ?? "of the joining node",
        address: field(after: "to the IP") ?? "its address"
      )
    }
    if lower.contains("already known to dqlite") {
      return .alreadyKnownToDatastore(address: field(after: "joining node") ?? "its address")
    }
    if lower.contains("dqlite bind address") {
      return .datastoreBindAddressNotFound(detail: detail)
    }
    // The agent could not read its datastore: its state file not written yet after a
    // restart (microk8s-cluster-agent PR #26), or no dqlite leader to ask.
    if lower.contains("failed to retrieve dqlite cluster nodes") {
      return .agentDatastoreUnavailable(detail: detail)
    }
    // Row 8: "… update MicroK8s to version 1.28 or newer …".
    if lower.contains("or newer"), let range = message.firstRange(of: "to version "),
      let track = Track.parse(
        String(message[range.upperBound...].prefix { $0.isNumber || $0 == "." })
          .trimmingSuffix(".")
      )
    {
      return .versionMismatch(expected: track, found: nil)
    }
    return .joinRefused(status: status, message: detail)
  }

  /// The quoted or parenthesised value after `marker`, redacted.
  private func field(after marker: String) -> String? {
    MicroK8sOutput.enclosed(after: marker, in: message).map {
      Redaction.excerpt(String($0), limit: 100)
    }
  }
}

extension String {
  fileprivate func trimmingSuffix(_ character: Character) -> String {
    var text = self
    while text.last == character { text.removeLast() }
    return text
  }
}
