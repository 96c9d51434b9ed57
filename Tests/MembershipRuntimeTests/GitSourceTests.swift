import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

/// A bare repository behind a `file://` remote, and a working clone that commits to it.
private struct Remote {
  let root: String
  var bare: String { root + "/remote.git" }
  var work: String { root + "/work" }
  var state: String { root + "/state" }
  var url: String { "file://" + bare }

  static func make(in root: String) async throws -> Remote {
    let remote = Remote(root: root)
    try await run(["git", "init", "--quiet", "--bare", remote.bare])
    try await run(["git", "init", "--quiet", "-b", "main", remote.work])
    try await remote.git(["remote", "add", "origin", remote.url])
    return remote
  }

  func source(ref: String = "main", path: String = "topology.yaml") -> GitSource {
    GitSource(url: url, ref: ref, path: path, stateDirectory: state, timeout: .seconds(60))
  }

  /// Writes `files` (nil removes one), commits and pushes `main`; returns the commit.
  @discardableResult
  func commit(
    _ files: [String: String?],
    message: String = "change",
    force: Bool = false
  ) async throws -> String {
    for (name, content) in files {
      if let content {
        let script = "mkdir -p \"$(dirname \"$2\")\" && printf %s \"$1\" > \"$2\""
        try await Self.run(["sh", "-c", script, "sh", content, work + "/" + name])
      } else {
        try await git(["rm", "--quiet", "-r", "--", name])
      }
    }
    try await git(["add", "-A"])
    try await git(["commit", "--quiet", "--allow-empty", "-m", message])
    try await git(["push", "--quiet"] + (force ? ["--force"] : []) + ["origin", "main"])
    return try await head()
  }

  func head() async throws -> String {
    try await git(["rev-parse", "HEAD"]).filter { !$0.isWhitespace }
  }

  @discardableResult
  func git(_ arguments: [String]) async throws -> String {
    let identity = [
      "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
      "-c", "tag.gpgsign=false",
    ]
    return try await Self.run(["git", "-C", work] + identity + arguments)
  }

  @discardableResult
  static func run(_ argv: [String]) async throws -> String {
    let result = try await LocalTransport(host: "test").run(
      Invocation(argv, timeout: .seconds(60))
    )
    try #require(result.succeeded, "\(argv): \(result.standardError)")
    return result.standardOutput
  }
}

/// Runs `body` against a fresh remote in a scratch directory.
private func withRemote(_ body: (Remote) async throws -> Void) async throws {
  try await withScratchDirectory { root in try await body(try await Remote.make(in: root)) }
}

/// The failure of `fetch()`, recording an issue if it succeeds.
private func fetchFailure(
  _ source: GitSource,
  sourceLocation: SourceLocation = #_sourceLocation
) async -> GitSource.Failure? {
  do {
    let revision = try await source.fetch()
    Issue.record("expected a failure, got \(revision.commit)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

private func exists(_ path: String) -> Bool {
  var info = stat()
  return stat(path, &info) == 0
}

@Suite("GitSource")
struct GitSourceTests {
  @Test("the first fetch clones and returns the file's bytes, commit and subject")
  func firstFetch() async throws {
    try await withRemote { remote in
      let commit = try await remote.commit(["topology.yaml": "nodes: []\n"], message: "first")
      let source = remote.source()
      #expect(!exists(source.repositoryDirectory))
      let revision = try await source.fetch()
      #expect(revision == .init(commit: commit, bytes: Array("nodes: []\n".utf8), subject: "first"))
      #expect(exists(source.repositoryDirectory + "/HEAD"))
      #expect(source.repositoryDirectory.hasPrefix(remote.state + "/git/"))
    }
  }

  @Test("a new commit is picked up by the next fetch, and a nested path is read")
  func newCommit() async throws {
    try await withRemote { remote in
      try await remote.commit(["config/topology.yaml": "one"])
      let source = remote.source(path: "config/topology.yaml")
      #expect(try await source.fetch().bytes == Array("one".utf8))
      let second = try await remote.commit(["config/topology.yaml": "two"])
      let revision = try await source.fetch()
      #expect(revision.commit == second)
      #expect(revision.bytes == Array("two".utf8))
    }
  }

  @Test("a tag (annotated) and a commit hash resolve to their commit")
  func tagAndCommit() async throws {
    try await withRemote { remote in
      let first = try await remote.commit(["topology.yaml": "v1"])
      try await remote.git(["tag", "-a", "-m", "release", "v1"])
      try await remote.git(["push", "--quiet", "origin", "v1"])
      try await remote.commit(["topology.yaml": "v2"])
      let tagged = try await remote.source(ref: "v1").fetch()
      #expect(tagged.commit == first)
      #expect(tagged.bytes == Array("v1".utf8))
      let pinned = try await remote.source(ref: first).fetch()
      #expect(pinned == tagged)
      #expect(try await remote.source().fetch().bytes == Array("v2".utf8))
    }
  }

  @Test("a force-pushed branch is followed, not refused")
  func forcePush() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let discarded = try await remote.commit(["topology.yaml": "b"])
      let source = remote.source()
      #expect(try await source.fetch().commit == discarded)
      try await remote.git(["reset", "--quiet", "--hard", "HEAD~1"])
      let rewritten = try await remote.commit(["topology.yaml": "c"], force: true)
      let revision = try await source.fetch()
      #expect(revision.commit == rewritten)
      #expect(revision.bytes == Array("c".utf8))
    }
  }

  @Test("a deleted path is pathMissing at the new commit, not transient")
  func deletedPath() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a", "other": "x"])
      let source = remote.source()
      _ = try await source.fetch()
      let deleted = try await remote.commit(["topology.yaml": nil])
      let failure = try #require(await fetchFailure(source))
      #expect(failure.reason == .pathMissing(commit: deleted))
      #expect(!failure.isTransient)
      #expect(failure.description.contains("no file 'topology.yaml' at commit \(deleted)"))
    }
  }

  @Test("a directory is not a file; a file over 4 MiB is too large")
  func notAFileAndTooLarge() async throws {
    try await withRemote { remote in
      let commit = try await remote.commit(["config/a": "x"])
      let directory = try #require(await fetchFailure(remote.source(path: "config")))
      #expect(directory.reason == .notAFile(commit: commit, kind: "a tree"))
      let limit = TopologyLoader.maxFileSize
      let file = remote.work + "/topology.yaml"
      try await Remote.run(["sh", "-c", "head -c \(limit + 1) /dev/zero > \"$1\"", "sh", file])
      let large = try await remote.commit([:])
      let failure = try #require(await fetchFailure(remote.source()))
      #expect(failure.reason == .tooLarge(commit: large, size: limit + 1, limit: limit))
    }
  }

  @Test("a ref that does not exist is unknownRef")
  func unknownRef() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let failure = try #require(await fetchFailure(remote.source(ref: "no-such-branch")))
      #expect(failure.reason == .unknownRef)
      #expect(!failure.isTransient)
      #expect(failure.description.contains("no branch, tag or commit 'no-such-branch'"))
    }
  }

  @Test("an unreachable repository is a transient fetch failure, before and after cloning")
  func unreachable() async throws {
    try await withRemote { remote in
      let missing = GitSource(
        url: "file:///nonexistent/repo.git",
        ref: "main",
        path: "topology.yaml",
        stateDirectory: remote.state
      )
      let never = try #require(await fetchFailure(missing))
      guard case .fetchFailed = never.reason else {
        Issue.record("expected fetchFailed, got \(never.reason)")
        return
      }
      #expect(never.isTransient)
      #expect(never.description.contains("file:///nonexistent/repo.git"))
      #expect(!exists(missing.repositoryDirectory))

      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      _ = try await source.fetch()
      #expect(rename(remote.bare, remote.bare + ".gone") == 0)
      let gone = try #require(await fetchFailure(source))
      #expect(gone.isTransient)
    }
  }

  @Test("a ref or path starting with '-' is refused before git runs")
  func optionLikeArguments() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let ref = try #require(await fetchFailure(remote.source(ref: "--output=/tmp/x")))
      #expect(
        ref.reason
          == .invalidArgument(
            name: "ref",
            value: "--output=/tmp/x",
            rule: "must not start with '-'"
          )
      )
      let path = try #require(await fetchFailure(remote.source(path: "-p")))
      guard case .invalidArgument(name: "path", _, _) = path.reason else {
        Issue.record("expected invalidArgument for the path, got \(path.reason)")
        return
      }
      #expect(!exists(remote.state))
      #expect(GitSource.pathProblem("../etc/passwd") != nil)
      #expect(GitSource.pathProblem("/etc/passwd") != nil)
      #expect(GitSource.pathProblem("a/b.yaml") == nil)
    }
  }

  @Test("a state directory that is not a repository is reported, not searched upward")
  func notARepository() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      try await Remote.run(["mkdir", "-p", source.repositoryDirectory])
      let failure = try #require(await fetchFailure(source))
      guard case .notARepository(let directory, _) = failure.reason else {
        Issue.record("expected notARepository, got \(failure.reason)")
        return
      }
      #expect(directory == source.repositoryDirectory)
    }
  }

  @Test("an unsigned commit is rejected by verifySignature")
  func unsignedCommit() async throws {
    try await withRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let revision = try await source.fetch()
      do throws(GitSource.Failure) {
        try await source.verifySignature(revision.commit)
        Issue.record("an unsigned commit was accepted")
      } catch {
        guard case .signatureRejected(let commit, _) = error.reason else {
          Issue.record("expected signatureRejected, got \(error.reason)")
          return
        }
        #expect(commit == revision.commit)
      }
    }
  }

  @Test("a missing git program is reported as not installed")
  func gitNotInstalled() async throws {
    try await withRemote { remote in
      let source = GitSource(
        url: remote.url,
        ref: "main",
        path: "topology.yaml",
        stateDirectory: remote.state,
        timeout: .seconds(60),
        program: "git-not-installed-here"
      )
      let failure = try #require(await fetchFailure(source))
      guard case .gitNotInstalled = failure.reason else {
        Issue.record("expected gitNotInstalled, got \(failure.reason)")
        return
      }
    }
  }

  @Test("a password in the URL never appears in a message")
  func passwordRedacted() {
    let source = GitSource(
      url: "https://bot:s3cret-pass@git.example.com/ops/topology.git",
      ref: "main",
      path: "topology.yaml",
      stateDirectory: "/tmp/unused"
    )
    #expect(GitSource.password(in: source.url) == "s3cret-pass")
    #expect(source.displayURL == "https://bot:<redacted>@git.example.com/ops/topology.git")
    #expect(!source.failure(.unknownRef).description.contains("s3cret"))
    #expect(GitSource.password(in: "git@github.com:ops/topology.git") == nil)
  }
}
