import Testing

@testable import MembershipRuntime

@Suite("GitSource reuse")
struct GitSourceReuseTests {
  @Test("the first fetch clones, resolves and reads: five git commands")
  func firstFetchCommands() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let (_, commands) = try await source.commandsRun { try await source.fetch() }
      #expect(commands == ["clone": 1, "rev-parse": 1, "ls-tree": 1, "cat-file": 1, "log": 1])
    }
  }

  @Test("an unchanged commit returns previous after two commands: git fetch, git rev-parse")
  func unchangedCommit() async throws {
    try await withGitRemote { remote in
      let commit = try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      _ = try await source.fetch()
      // Not what the file holds: returned as given shows the file was not read again.
      let previous = GitSource.Revision(commit: commit, bytes: [1, 2, 3], subject: "kept")
      for _ in 0..<3 {
        let (revision, commands) = try await source.commandsRun {
          try await source.fetch(previous: previous)
        }
        #expect(revision == previous)
        #expect(commands == ["fetch": 1, "rev-parse": 1])
      }
    }
  }

  @Test("a new commit is read again: fetch, rev-parse, ls-tree, cat-file and log")
  func newCommit() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let first = try await source.fetch()
      let second = try await remote.commit(["topology.yaml": "b"], message: "second")
      let (revision, commands) = try await source.commandsRun {
        try await source.fetch(previous: first)
      }
      #expect(revision == .init(commit: second, bytes: Array("b".utf8), subject: "second"))
      #expect(commands == ["fetch": 1, "rev-parse": 1, "ls-tree": 1, "cat-file": 1, "log": 1])
    }
  }

  @Test("a new source over an existing clone checks it is bare once, then not again")
  func existingClone() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let previous = try await remote.source().fetch()
      // As after a restart: same state directory, a new value.
      let source = remote.source()
      let (first, checked) = try await source.commandsRun {
        try await source.fetch(previous: previous)
      }
      #expect(first == previous)
      #expect(checked == ["rev-parse": 2, "fetch": 1])
      let copy = source
      let (second, converged) = try await copy.commandsRun {
        try await copy.fetch(previous: previous)
      }
      #expect(second == previous)
      #expect(converged == ["rev-parse": 1, "fetch": 1])
    }
  }

  @Test("a clone removed between passes is made again")
  func cloneRemoved() async throws {
    try await withGitRemote { remote in
      let commit = try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let previous = try await source.fetch()
      #expect(GitSource.removeTree(source.repositoryDirectory) == nil)
      let (revision, commands) = try await source.commandsRun {
        try await source.fetch(previous: previous)
      }
      #expect(revision.commit == commit)
      #expect(commands == ["clone": 1, "rev-parse": 1])
    }
  }

  @Test("a clone replaced after its check is reported as such, not as the remote's fault")
  func cloneReplaced() async throws {
    try await withGitRemote { remote in
      try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let previous = try await source.fetch()
      #expect(GitSource.removeTree(source.repositoryDirectory) == nil)
      try await GitRemote.run(["mkdir", source.repositoryDirectory])
      let failure = try #require(await fetchFailure(source, previous: previous))
      guard case .notARepository = failure.reason else {
        Issue.record("expected notARepository, got \(failure.reason)")
        return
      }
      #expect(pathExists(source.repositoryDirectory))
    }
  }
}
