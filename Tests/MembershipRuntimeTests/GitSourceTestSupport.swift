import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

/// A bare repository behind a `file://` remote, and a working clone that commits to it.
struct GitRemote {
  let root: String
  var bare: String { root + "/remote.git" }
  var work: String { root + "/work" }
  var state: String { root + "/state" }
  var url: String { "file://" + bare }

  static func make(in root: String) async throws -> GitRemote {
    let remote = GitRemote(root: root)
    try await run(["git", "init", "--quiet", "--bare", remote.bare])
    try await run(["git", "init", "--quiet", "-b", "main", remote.work])
    try await remote.git(["remote", "add", "origin", remote.url])
    return remote
  }

  func source(ref: String = "main", path: String = "topology.yaml") -> GitSource {
    GitSource(url: url, ref: ref, path: path, stateDirectory: state, timeout: .seconds(60))
  }

  /// Writes `files` (nil removes one), commits and pushes `main`; returns the commit.
  ///
  /// `signingKey`: an ssh private key file that signs the commit.
  @discardableResult
  func commit(
    _ files: [String: String?],
    message: String = "change",
    force: Bool = false,
    signingKey: String? = nil
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
    var commit = ["commit", "--quiet", "--allow-empty", "-m", message]
    if let signingKey {
      commit = ["-c", "gpg.format=ssh", "-c", "user.signingkey=" + signingKey] + commit + ["-S"]
    }
    try await git(commit)
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
func withGitRemote(_ body: (GitRemote) async throws -> Void) async throws {
  try await withScratchDirectory { root in try await body(try await GitRemote.make(in: root)) }
}

/// The failure of `fetch(previous:)`, recording an issue if it succeeds.
func fetchFailure(
  _ source: GitSource,
  previous: GitSource.Revision? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) async -> GitSource.Failure? {
  do {
    let revision = try await source.fetch(previous: previous)
    Issue.record("expected a failure, got \(revision.commit)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// Whether anything (even a dangling symbolic link) is at `path`.
func pathExists(_ path: String) -> Bool {
  var info = stat()
  return lstat(path, &info) == 0
}

/// The names in a directory, sorted; none when it does not exist.
func sortedEntries(_ directory: String) -> [String] {
  guard let stream = opendir(directory) else { return [] }
  defer { closedir(stream) }
  var names: [String] = []
  while let entry = readdir(stream) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    if name != ".", name != ".." { names.append(name) }
  }
  return names.sorted()
}

extension GitSource {
  /// What `body` returned, and the git subcommands run meanwhile with how many times
  /// each ran.
  func commandsRun<Result>(
    during body: () async throws -> Result
  ) async rethrows -> (Result, [String: Int]) {
    let before = memory.commandCounts
    let result = try await body()
    var difference = memory.commandCounts
    for (command, count) in before { difference[command, default: 0] -= count }
    return (result, difference.filter { $0.value != 0 })
  }
}

/// The clone's name in `<state>/git`: 16 hex digits of the URL's SHA-256.
func directoryName(_ source: GitSource) -> String {
  String(source.repositoryDirectory.split(separator: "/").last ?? "")
}
