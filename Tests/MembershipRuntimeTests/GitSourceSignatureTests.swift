import Testing

@testable import MembershipRuntime

/// A remote with one commit of each kind, and a clone that trusts only `trusted`'s key.
private struct SignedHistory {
  var source: GitSource
  var trusted: String
  var untrusted: String
  var unsigned: String

  /// Trust goes into the clone's own configuration, not the environment: tests run in
  /// parallel in one process, and the daemon reads git's configuration as it finds it.
  static func make(_ remote: GitRemote) async throws -> SignedHistory {
    for key in ["trusted", "untrusted"] {
      let file = remote.root + "/" + key
      try await GitRemote.run([
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", file,
      ])
    }
    let allowed = remote.root + "/allowed_signers"
    let trustedKey = try await GitRemote.run(["cat", remote.root + "/trusted.pub"])
    let line = "test@example.com namespaces=\"git\" " + trustedKey
    try await GitRemote.run(["sh", "-c", "printf %s \"$1\" > \"$2\"", "sh", line, allowed])

    let trusted = try await remote.commit(
      ["topology.yaml": "a"],
      signingKey: remote.root + "/trusted"
    )
    let untrusted = try await remote.commit(
      ["topology.yaml": "b"],
      signingKey: remote.root + "/untrusted"
    )
    let unsigned = try await remote.commit(["topology.yaml": "c"])
    let source = remote.source()
    _ = try await source.fetch()
    let config = ["git", "--git-dir", source.repositoryDirectory, "config"]
    try await GitRemote.run(config + ["gpg.ssh.allowedSignersFile", allowed])
    return SignedHistory(
      source: source,
      trusted: trusted,
      untrusted: untrusted,
      unsigned: unsigned
    )
  }

  /// The failure of `verifySignature`, recording an issue if it succeeds.
  func rejection(
    _ commit: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async -> GitSource.Failure? {
    do {
      try await source.verifySignature(commit)
      Issue.record("commit \(commit) was accepted", sourceLocation: sourceLocation)
      return nil
    } catch {
      return error
    }
  }
}

@Suite("GitSource signatures")
struct GitSourceSignatureTests {
  @Test("a commit signed with a trusted ssh key passes verifySignature")
  func trustedKey() async throws {
    try await withGitRemote { remote in
      let history = try await SignedHistory.make(remote)
      let (_, commands) = try await history.source.commandsRun {
        try await history.source.verifySignature(history.trusted)
      }
      #expect(commands == ["verify-commit": 1])
    }
  }

  @Test("a commit signed with a key not in the allowed signers is signatureRejected")
  func untrustedKey() async throws {
    try await withGitRemote { remote in
      let history = try await SignedHistory.make(remote)
      let failure = try #require(await history.rejection(history.untrusted))
      guard case .signatureRejected(let commit, _) = failure.reason else {
        Issue.record("expected signatureRejected, got \(failure.reason)")
        return
      }
      #expect(commit == history.untrusted)
      #expect(!failure.isTransient)
      #expect(failure.description.contains("does not accept the signature of commit \(commit)"))
      #expect(failure.description.contains("The cluster is left as it is."))
    }
  }

  @Test("an unsigned commit is signatureRejected")
  func unsignedCommit() async throws {
    try await withGitRemote { remote in
      let history = try await SignedHistory.make(remote)
      let failure = try #require(await history.rejection(history.unsigned))
      #expect(failure.reason.isSignatureRejected(of: history.unsigned))
    }
  }

  @Test("without an allowed signers file even a signed commit is refused")
  func noTrustConfigured() async throws {
    try await withGitRemote { remote in
      let history = try await SignedHistory.make(remote)
      let config = ["git", "--git-dir", history.source.repositoryDirectory, "config"]
      try await GitRemote.run(config + ["--unset", "gpg.ssh.allowedSignersFile"])
      let failure = try #require(await history.rejection(history.trusted))
      #expect(failure.reason.isSignatureRejected(of: history.trusted))
    }
  }

  @Test("a commit that is not a full hash is refused before git runs")
  func notAHash() async throws {
    try await withGitRemote { remote in
      let history = try await SignedHistory.make(remote)
      let (failure, commands) = await history.source.commandsRun {
        await history.rejection("main")
      }
      #expect(commands == [:])
      let reason = try #require(failure).reason
      guard case .invalidArgument(name: "commit", value: "main", _) = reason else {
        Issue.record("expected invalidArgument, got \(reason)")
        return
      }
    }
  }
}

extension GitSource.Failure.Reason {
  fileprivate func isSignatureRejected(of expected: String) -> Bool {
    guard case .signatureRejected(let commit, _) = self else { return false }
    return commit == expected
  }
}
