import MembershipCore
import Testing

@Suite("MicroK8s failures and redaction")
struct MicroK8sFailureTests {
  /// One value of every case.
  static let everyCase: [MicroK8sFailure] = [
    .notInstalled, .sudoPasswordRequired, .insufficientPermissions, .needsRoot, .stopped,
    .workerNode(command: "add-node"), .unknownSubcommand("x"), .usageRejected(detail: "d"),
    .lowMemory, .apiServerUnavailable(detail: "d"), .crashed(detail: "d"),
    .freshInstallRequired, .tokenRejected, .tokenMismatch, .utilityFailed,
    .invalidJoinAddress(reason: "Invalid master IP"), .fingerprintMismatch(contact: "10.0.0.1"),
    .agentUnreachable(contact: "10.0.0.1", detail: "d"),
    .agentUnreachable(contact: nil, detail: "d"),
    .agentConnectionFailed(detail: "d"), .agentDatastoreUnavailable(detail: "d"), .invalidToken,
    .notHighAvailability, .datastoreWithoutLeader,
    .agentPortMismatch(detail: "d"), .joiningItself(address: "10.0.0.1"),
    .hostnameDoesNotResolve(hostname: "node2", address: "10.0.0.2"),
    .alreadyKnownToDatastore(address: "10.0.0.2"), .datastoreBindAddressNotFound(detail: "d"),
    .versionMismatch(expected: Track(major: 1, minor: 28), found: Track(major: 1, minor: 27)),
    .versionMismatch(expected: Track(major: 1, minor: 28), found: nil),
    .joinRefused(status: 500, message: "m"), .joinRefused(status: 500, message: ""),
    .workerJoinUnsupported, .certificateSigningFailed(detail: "d"), .onlyVoter, .notClustered,
    .datastoreRemovalFailed(endpoint: "10.0.0.3:19001"), .notPartOfCluster(name: "n"),
    .registeredWithDatastore(name: "n"), .nodeNotReady(name: "n"),
    .duplicateHostname(name: "n", registeredAddress: ip("10.0.0.9")),
    .duplicateHostname(name: "n", registeredAddress: nil), .malformed(what: "w", problem: "p"),
    .unrecognised(exit: 3, stdout: "out", stderr: "err"),
    .unrecognised(exit: 3, stdout: "", stderr: ""),
  ]

  @Test(arguments: everyCase)
  func everyFailureSaysWhatAndWhatToDo(_ failure: MicroK8sFailure) {
    #expect(failure.summary.count > 10)
    #expect(failure.remedy.count > 10)
    #expect(failure.description.hasPrefix(failure.summary))
  }

  @Test func transientFailuresAreTheOnesARetryCanFix() {
    let transient = Self.everyCase.filter(\.isTransient)
    let expected: [MicroK8sFailure] = [
      .apiServerUnavailable(detail: "d"), .utilityFailed,
      .agentUnreachable(contact: "10.0.0.1", detail: "d"),
      .agentUnreachable(contact: nil, detail: "d"),
      .agentConnectionFailed(detail: "d"), .invalidToken, .certificateSigningFailed(detail: "d"),
      .datastoreRemovalFailed(endpoint: "10.0.0.3:19001"), .nodeNotReady(name: "n"),
    ]
    #expect(transient == expected)
  }

  @Test func theJoinStepRetriesWhatPassesWithinAMinute() {
    let retried = Self.everyCase.filter(\.isRetriedAtJoin)
    #expect(
      retried == [
        .fingerprintMismatch(contact: "10.0.0.1"), .agentDatastoreUnavailable(detail: "d"),
      ]
    )
  }

  @Test func remediesGiveTheCommandsToRun() {
    let track = Track(major: 1, minor: 28)
    #expect(
      MicroK8sFailure.notInstalled.remedy(track: track)
        .contains("sudo snap install microk8s --classic --channel=1.28/stable")
    )
    #expect(MicroK8sFailure.notInstalled.remedy.contains("--channel=<track>/stable"))
    #expect(
      MicroK8sFailure.versionMismatch(expected: track, found: nil).remedy
        .contains("sudo snap refresh microk8s --channel=1.28/stable")
    )
    #expect(MicroK8sFailure.invalidToken.remedy.contains("new token"))
    #expect(
      MicroK8sFailure.alreadyKnownToDatastore(address: "10.0.0.2").remedy
        .contains("microk8s remove-node 10.0.0.2 --force")
    )
    #expect(
      MicroK8sFailure.alreadyKnownToDatastore(address: "10.0.0.2").remedy.contains("cleanupGhosts")
    )
    #expect(
      MicroK8sFailure.agentUnreachable(contact: "10.0.0.1", detail: "d").remedy.contains("25000")
    )
    #expect(MicroK8sFailure.insufficientPermissions.remedy.contains("usermod"))
    #expect(MicroK8sFailure.insufficientPermissions.remedy.contains("sudo -n"))
    #expect(MicroK8sFailure.onlyVoter.remedy.contains("three control-plane nodes"))
  }

  @Test func aFailureBuiltWithATokenStillDoesNotShowIt() {
    let failure = MicroK8sFailure.joinRefused(status: 500, message: "bad \(sampleURL)")
    #expect(!failure.description.contains(sampleToken))
    #expect(!failure.description.contains(sampleCheck))
  }

  // MARK: - Redaction

  @Test(arguments: [
    (sampleToken, "<token>"),
    ("token \(sampleToken) used", "token <token> used"),
    ("\(sampleToken)/\(sampleCheck)", "<token>/\(sampleCheck)"),
    ("microk8s join \(sampleURL) --worker", "microk8s join <token> --worker"),
    ("join [fd00::1]:25000/\(sampleToken)", "join <token>"),
    ("join 10.0.0.1:25000/my-custom-token-that-is-long-enough.", "join <token>"),
    ("'10.0.0.1:25000/\(sampleToken)'", "'<token>'"),
    ("\(sampleToken.uppercased())x", "<token>x"),
    (String(repeating: "a", count: 70), "<token>"),
    ("\(sampleToken):25000/abcdefghij", "<token><token>"),
    ("fingerprint 2c0cb3284b05 stays", "fingerprint 2c0cb3284b05 stays"),
    ("sha 0123456789abcdef0123456789abcde", "sha 0123456789abcdef0123456789abcde"),
    ("https://127.0.0.1:16443/api/v1/nodes", "https://127.0.0.1:16443/api/v1/nodes"),
    (
      "The connection to the server 127.0.0.1:16443 was refused",
      "The connection to the server 127.0.0.1:16443 was refused"
    ),
    ("Cluster CIDR: 10.1.0.0/16", "Cluster CIDR: 10.1.0.0/16"),
    ("café \(sampleToken) ☃", "café <token> ☃"),
    ("", ""),
  ])
  func redaction(text: String, redacted: String) {
    #expect(Redaction.redact(text) == redacted)
  }

  @Test func redactionOfNamedSecrets() {
    #expect(Redaction.redact("token=short-secret!", secrets: ["short-secret"]) == "token=<token>!")
  }

  @Test func excerptRedactsBeforeCuttingAndNeutralisesControlCharacters() {
    let long = String(repeating: "x", count: 3000) + sampleToken
    let excerpt = Redaction.excerpt(long, limit: 20)
    #expect(excerpt == "…" + String(repeating: "x", count: 13) + "<token>")
    #expect(Redaction.excerpt("a\u{1B}[31mb\r\n\tc\u{0}\n\n") == "a\\u{1b}[31mb\n\tc\\u{0}")
  }
}
