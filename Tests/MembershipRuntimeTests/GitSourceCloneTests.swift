import Glibc
import Testing

@testable import MembershipRuntime

@Suite("GitSource clone")
struct GitSourceCloneTests {
  @Test("an unfinished clone left by a killed run is removed, and the fetch works")
  func leftoverRemoved() async throws {
    try await withGitRemote { remote in
      let commit = try await remote.commit(["topology.yaml": "a"])
      let source = remote.source()
      let git = remote.state + "/git"
      let name = directoryName(source)
      // A half clone of this URL (with a link out of it), and a file of the same pattern.
      let leftover = git + "/" + name + ".clone-99999"
      let outside = remote.root + "/outside"
      try await GitRemote.run(["mkdir", "-p", leftover + "/objects/pack", outside])
      try await GitRemote.run(["touch", leftover + "/objects/pack/tmp_pack_x", outside + "/f"])
      try await GitRemote.run(["ln", "-s", outside, leftover + "/objects/link"])
      try await GitRemote.run(["touch", git + "/" + name + ".clone-1"])
      // Not this source's: another URL's unfinished clone, and an unknown directory.
      let others = ["0123456789abcdef.clone-5", "unknown"]
      for other in others { try await GitRemote.run(["mkdir", git + "/" + other]) }

      let revision = try await source.fetch()
      #expect(revision.commit == commit)
      #expect(sortedEntries(git) == ([name] + others).sorted())
      #expect(pathExists(outside + "/f"), "the link was followed")
      #expect(pathExists(source.repositoryDirectory + "/HEAD"))
    }
  }

  @Test("a failed clone (bad URL) leaves neither the clone nor a temporary directory")
  func failedClone() async throws {
    try await withGitRemote { remote in
      let source = GitSource(
        url: "file://" + remote.root + "/no-such-repository.git",
        ref: "main",
        path: "topology.yaml",
        stateDirectory: remote.state
      )
      let failure = try #require(await fetchFailure(source))
      guard case .fetchFailed = failure.reason else {
        Issue.record("expected fetchFailed, got \(failure.reason)")
        return
      }
      #expect(!pathExists(source.repositoryDirectory))
      #expect(sortedEntries(remote.state + "/git") == [])
    }
  }

  @Test("a clone stopped by its timeout, half made and deaf to SIGTERM, is removed")
  func killedClone() async throws {
    try await withGitRemote { remote in
      // A `git` that starts a repository, then hangs until killed: git's own clean-up
      // never runs, as when the daemon itself is killed mid-clone.
      let program = remote.root + "/hanging-git"
      let script = """
        #!/bin/sh
        trap '' TERM
        for last; do :; done
        mkdir -p "$last/objects" && echo ref: refs/heads/main > "$last/HEAD"
        exec sleep 60
        """
      try await GitRemote.run(["sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "sh", script, program])
      try await GitRemote.run(["chmod", "+x", program])
      let source = GitSource(
        url: remote.url,
        ref: "main",
        path: "topology.yaml",
        stateDirectory: remote.state,
        timeout: .seconds(1),
        program: program
      )
      let failure = try #require(await fetchFailure(source))
      guard case .timedOut = failure.reason else {
        Issue.record("expected timedOut, got \(failure.reason)")
        return
      }
      #expect(failure.isTransient)
      #expect(sortedEntries(remote.state + "/git") == [])
    }
  }

  @Test("an empty remote is cloned; its ref is unknown until the first push, then read")
  func emptyRemote() async throws {
    try await withGitRemote { remote in
      let source = remote.source()
      // An empty remote has no `main` yet: the clone succeeds, the ref does not resolve.
      let empty = try #require(await fetchFailure(source))
      #expect(empty.reason == .unknownRef)
      let commit = try await remote.commit(["topology.yaml": "a"])
      #expect(try await source.fetch().commit == commit)
      #expect(sortedEntries(remote.state + "/git") == [directoryName(source)])
    }
  }
}
