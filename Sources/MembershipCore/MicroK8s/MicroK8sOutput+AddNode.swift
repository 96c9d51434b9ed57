extension MicroK8sOutput {
  /// Reads `microk8s add-node --token T --token-ttl N --format token-check`, which
  /// prints `<token>/<check>` (contract section 2.5), and returns the check: the first
  /// 12 hex digits of the SHA-256 of the node's server certificate (section 2.3).
  ///
  /// The echoed token must be `expectedToken`, the one mktopo chose. No failure this
  /// throws contains the token, nor any output that might.
  public static func fingerprint(
    _ output: CommandOutput,
    expectedToken: String
  ) throws(MicroK8sFailure) -> String {
    if let failure = commonFailure(output, command: "add-node") { throw failure }
    if output.exitStatus != 0 { throw addNodeFailure(output, secrets: [expectedToken]) }
    let text = output.stdout[...].trimmed
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw .malformed(
        what: "'microk8s add-node --format token-check' output",
        problem:
          "expected TOKEN/CHECK, found "
          + Redaction.excerpt(String(text), secrets: [expectedToken], limit: 200).shown
      )
    }
    guard parts[0] == expectedToken[...] else { throw .tokenMismatch }
    let check = parts[1]
    guard check.utf8.count == 12,
      check.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else {
      throw .malformed(
        what: "'microk8s add-node --format token-check' output",
        problem: "the check is not 12 lowercase hex digits"
      )
    }
    return String(check)
  }

  /// add-node's own refusals (contract section 2.2), after the common ones.
  private static func addNodeFailure(
    _ output: CommandOutput,
    secrets: [String]
  ) -> MicroK8sFailure {
    if output.mentions("Clustering requires a fresh MicroK8s installation") {
      return .freshInstallRequired
    }
    // "Invalid token size.  It must be 32 characters long." (two spaces, section 2.1)
    if output.mentions("Invalid token size") { return .tokenRejected }
    if output.mentions("Failed to call utility function") { return .utilityFailed }
    return fallback(output, secrets: secrets)
  }
}
