import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("GitSource")
struct GitSourceTests {
  @Test("the first fetch clones and returns the file's bytes, commit and subject")
  func firstFetch() async throws {
    try await withGitRemote { remote in
      let commit = try await remote.commit(["topology.yaml": "nodes: []\n"], message: "first")
      let source = remote.source()
      #expect(!pathExists(source.repositoryDirectory))
      let revision = try await source.fetch()
      #expect(revision == .init(commit: commit, bytes: Array("nodes: []\n".utf8), subject: "first"))
      #expect(pathExists(source.repositoryDirectory + "/HEAD"))
      #expect(source.repositoryDirectory.hasPrefix(remote.state + "/git/"))
    }
  }

  @Test("a new commit is picked up by the next fetch, and a nested path is read")
  func newCommit() async throws {
    try await withGitRemote { remote in
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
    try await withGitRemote { remote in
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

  @Test("a force-pushed branch is followed, not refused, even from the discarded commit")
  func forcePush() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let discarded = try await remote.commit(["topology.yaml": "b"])
      let source = remote.source()
      let before = try await source.fetch()
      #expect(before.commit == discarded)
      try await remote.git(["reset", "--quiet", "--hard", "HEAD~1"])
      let rewritten = try await remote.commit(["topology.yaml": "c"], force: true)
      let revision = try await source.fetch(previous: before)
      #expect(revision.commit == rewritten)
      #expect(revision.bytes == Array("c".utf8))
    }
  }

  @Test("a deleted path is pathMissing at the new commit, not transient, and recoverable")
  func deletedPath() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a", "other": "x"])
      let source = remote.source()
      let before = try await source.fetch()
      let deleted = try await remote.commit(["topology.yaml": nil])
      // Thrown even with the last good revision at hand: the caller must not apply it.
      let failure = try #require(await fetchFailure(source, previous: before))
      #expect(failure.reason == .pathMissing(commit: deleted))
      #expect(!failure.isTransient)
      #expect(failure.description.contains("no file 'topology.yaml' at commit \(deleted)"))
      #expect(failure.description.contains("The cluster is left as it is."))
      let restored = try await remote.commit(["topology.yaml": "b"])
      #expect(try await source.fetch(previous: before).commit == restored)
    }
  }

  @Test("a directory is not a file; a file over 4 MiB is too large")
  func notAFileAndTooLarge() async throws {
    try await withGitRemote { remote in
      let commit = try await remote.commit(["config/a": "x"])
      let directory = try #require(await fetchFailure(remote.source(path: "config")))
      #expect(directory.reason == .notAFile(commit: commit, kind: "a tree"))
      let limit = TopologyLoader.maxFileSize
      let file = remote.work + "/topology.yaml"
      try await GitRemote.run(["sh", "-c", "head -c \(limit + 1) /dev/zero > \"$1\"", "sh", file])
      let large = try await remote.commit([:])
      let failure = try #require(await fetchFailure(remote.source()))
      #expect(failure.reason == .tooLarge(commit: large, size: limit + 1, limit: limit))
    }
  }

  @Test("a ref that does not exist, or a branch deleted on the remote, is unknownRef")
  func unknownRef() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let failure = try #require(await fetchFailure(remote.source(ref: "no-such-branch")))
      #expect(failure.reason == .unknownRef)
      #expect(!failure.isTransient)
      #expect(failure.description.contains("no branch, tag or commit 'no-such-branch'"))
      #expect(failure.description.contains("The cluster is left as it is."))

      // The clone must not keep serving a branch the remote no longer has.
      try await remote.git(["push", "--quiet", "origin", "main:release"])
      let release = remote.source(ref: "release")
      let before = try await release.fetch()
      try await remote.git(["push", "--quiet", "origin", "--delete", "release"])
      let deleted = try #require(await fetchFailure(release, previous: before))
      #expect(deleted.reason == .unknownRef)
    }
  }

  @Test("an unreachable repository is a transient fetch failure, before and after cloning")
  func unreachable() async throws {
    try await withGitRemote { remote in
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
      #expect(never.description.contains("cannot fetch from the repository"))
      #expect(never.description.contains("The cluster is left as it is."))
      #expect(sortedEntries(remote.state + "/git") == [])

      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let before = try await source.fetch()
      #expect(rename(remote.bare, remote.bare + ".gone") == 0)
      let gone = try #require(await fetchFailure(source, previous: before))
      guard case .fetchFailed = gone.reason else {
        Issue.record("expected fetchFailed, got \(gone.reason)")
        return
      }
      #expect(gone.isTransient)
      #expect(gone.description.contains("git ls-remote \(remote.url)"))
      // The clone is untouched: once the remote is back, the next pass reads from it.
      #expect(rename(remote.bare + ".gone", remote.bare) == 0)
      #expect(try await source.fetch() == before)
    }
  }

  @Test("a ref or path starting with '-' is refused before git runs")
  func optionLikeArguments() async throws {
    try await withGitRemote { remote in
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
      #expect(!pathExists(remote.state))
      #expect(GitSource.pathProblem("../etc/passwd") != nil)
      #expect(GitSource.pathProblem("/etc/passwd") != nil)
      #expect(GitSource.pathProblem("a/b.yaml") == nil)
    }
  }

  @Test("a state directory that is not a repository is reported and kept, not searched upward")
  func notARepository() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let kept = source.repositoryDirectory + "/notes.txt"
      try await GitRemote.run(["mkdir", "-p", source.repositoryDirectory])
      try await GitRemote.run(["sh", "-c", "echo mine > \"$1\"", "sh", kept])
      let failure = try #require(await fetchFailure(source))
      guard case .notARepository(let directory, _) = failure.reason else {
        Issue.record("expected notARepository, got \(failure.reason)")
        return
      }
      #expect(directory == source.repositoryDirectory)
      #expect(!failure.isTransient)
      #expect(failure.description.contains("Remove that directory"))
      // Someone else's directory: reported, never deleted or cloned over.
      #expect(pathExists(kept))
      #expect(sortedEntries(remote.state + "/git") == [directoryName(source)])
    }
  }

  @Test("a missing git program is reported as not installed")
  func gitNotInstalled() async throws {
    try await withGitRemote { remote in
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
