extension MicroK8sOutput {
  /// Reads `microk8s join URL [--worker]` (contract section 3).
  ///
  /// Exit 0 is a `JoinReport`, whatever else was printed: joining again after a join
  /// that did happen would fail with "already known to dqlite", so success is left for
  /// observation to confirm. Every failure row of sections 3.2, 3.4 and 3.5 has a case.
  public static func join(_ output: CommandOutput) throws(MicroK8sFailure) -> JoinReport {
    if output.exitStatus == 0 { return joinReport(output) }
    if let failure = commonFailure(output, command: "join") { throw failure }
    throw joinFailure(output)
  }

  private static func joinReport(_ output: CommandOutput) -> JoinReport {
    var warnings: [JoinWarning] = []
    if output.mentions("WARNING: Hostpath storage is enabled") { warnings.append(.hostpathStorage) }
    if output.mentions("Joining a cluster that has a different CIDR") {
      let detail = output.line(containing: "Cluster CIDR:").map(String.init) ?? ""
      warnings.append(.differentClusterCIDR(detail: Redaction.excerpt(detail, limit: 300)))
    }
    return JoinReport(
      contacted: contactedAddress(output).flatMap { NodeAddress.parse(String($0)) },
      printedSuccess: output.mentions("Successfully joined the cluster."),
      joinedAsWorker: output.mentions("The node has joined the cluster and will appear"),
      warnings: warnings
    )
  }

  /// The address in `Contacting cluster at <IP>` (section 3.3, step 5).
  private static func contactedAddress(_ output: CommandOutput) -> Substring? {
    guard let line = output.line(containing: "Contacting cluster at "),
      let range = line.firstRange(of: "Contacting cluster at ")
    else { return nil }
    return line[range.upperBound...].prefix { !$0.isWhitespace }
  }

  private static func joinFailure(_ output: CommandOutput) -> MicroK8sFailure {
    let contact = contactedAddress(output).map { Redaction.excerpt(String($0), limit: 100) }
    switch output.exitStatus {
    case 1:
      if let line = output.line(containing: "Invalid connection:"),
        let range = line.firstRange(of: "Invalid connection:")
      {
        var reason = line[range.upperBound...].trimmed
        if reason.hasSuffix(".") { reason = reason.dropLast() }
        return .invalidJoinAddress(reason: Redaction.excerpt(String(reason), limit: 200))
      }
      // The --controlplane trap or a cluster that cannot take workers (section 3.6).
      if output.mentions("supports joining worker nodes") { return .workerJoinUnsupported }
      if let line = output.line(containing: "Failed to sign") {
        return .certificateSigningFailed(detail: Redaction.excerpt(String(line), limit: 300))
      }
      // An unreachable agent is an uncaught OSError: a traceback, exit 1 (section 3.5).
      if let exception = pythonException(output), isNetworkError(exception) {
        return .agentUnreachable(
          contact: contact,
          detail: Redaction.excerpt(String(exception), limit: 300)
        )
      }
    case 2:
      // click's usage error: "Error: Missing argument 'CONNECTION'." (section 3.1)
      if let line = output.line(containing: "Error:") {
        return .usageRejected(detail: Redaction.excerpt(String(line), limit: 300))
      }
    case 4:
      if let line = output.line(containing: "Could not verify the identity of") {
        return .fingerprintMismatch(contact: contact ?? identity(in: line))
      }
      // The TLS handshake itself failed (contract section 3.5: exit 4 for an SSL error);
      // the token was not sent, so a retry can use it.
      if let line = output.line(containing: "verification failed") {
        return .agentConnectionFailed(detail: Redaction.excerpt(String(line), limit: 300))
      }
    case 5:
      if let line = output.line(containing: "Connecting to cluster failed with") {
        return .agentConnectionFailed(detail: Redaction.excerpt(String(line), limit: 300))
      }
    case 6:
      if let line = output.line(containing: "Connection failed.") {
        return JoinRefusal(line: line).failure
      }
    default:
      break
    }
    return fallback(output)
  }

  /// The address in `Could not verify the identity of <IP>. Use '--skip-verify' …`.
  private static func identity(in line: Substring) -> String {
    guard let range = line.firstRange(of: "identity of ") else { return "the contact" }
    var address = line[range.upperBound...].prefix { !$0.isWhitespace }
    if address.hasSuffix(".") { address = address.dropLast() }
    return Redaction.excerpt(String(address), limit: 100)
  }

  /// Python's ways of saying a TCP connection could not be made or was lost.
  private static func isNetworkError(_ exception: Substring) -> Bool {
    let names = [
      "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError",
      "ConnectionError", "TimeoutError", "socket.timeout", "BrokenPipeError",
    ]
    let phrases = ["No route to host", "Network is unreachable", "timed out", "Connection refused"]
    return names.contains { exception.hasPrefix($0) } || phrases.contains { exception.contains($0) }
  }
}
