extension MicroK8sOutput {
  /// Reads `microk8s version`.
  public static func version(_ output: CommandOutput) throws(MicroK8sFailure) -> MicroK8sVersion {
    if let failure = commonFailure(output, command: "version") { throw failure }
    guard output.exitStatus == 0 else { throw fallback(output) }
    let words = output.stdout.split(whereSeparator: \.isWhitespace)
    // `MicroK8s <SNAP_VERSION> revision <SNAP_REVISION>`; the charm reads field two too.
    guard words.count == 4, words[0] == "MicroK8s", words[2] == "revision" else {
      throw output.stdout.contains("MicroK8s")
        ? .malformed(
          what: "'microk8s version' output",
          problem: "expected 'MicroK8s vX.Y.Z revision N', found "
            + Redaction.excerpt(output.stdout, limit: 200).shown
        )
        : fallback(output)
    }
    let shown = Redaction.redact(String(words[1])).shown
    switch Track.read(kubernetesVersion: String(words[1])) {
    case .success(let track):
      // A snap revision is a small number (thousands today), `x1` for a locally
      // installed snap; anything else is not one, and a long run of digits is never
      // carried on into output.
      let revision = words[3]
      let digits =
        revision.utf8.first == UInt8(ascii: "x") ? revision.utf8.dropFirst() : revision.utf8[...]
      guard (1...10).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) })
      else {
        throw .malformed(
          what: "'microk8s version' output",
          problem: "\(Redaction.excerpt(String(revision), limit: 40).shown) is not a snap revision"
        )
      }
      return MicroK8sVersion(version: String(words[1]), track: track, revision: String(revision))
    case .failure(.numberTooLong):
      throw .malformed(
        what: "'microk8s version' output",
        problem: "\(shown) has a version number out of range (a major or minor version is "
          + "0 to \(Track.maximumNumber))"
      )
    case .failure(.malformed):
      throw .malformed(
        what: "'microk8s version' output",
        problem: "\(shown) is not a version like v1.28.3"
      )
    }
  }
}
