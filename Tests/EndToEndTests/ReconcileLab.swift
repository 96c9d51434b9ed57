import Foundation
import Glibc
import Testing

/// An `ApplyLab` world whose topology lives in a git repository: a bare repository (the
/// remote, reached by a `file://` URL) and a working clone the test commits to and
/// pushes from, with the real `git`.
final class ReconcileLab {
  let lab: ApplyLab
  let remote: String
  let work: String
  private let git: CommandRunner
  var url: String { "file://" + remote }
  var state: String { lab.stateDirectory }
  /// The topology's path in the repository.
  static let path = "clusters/lab.yaml"

  init(_ names: [String]) async throws {
    lab = try await ApplyLab(names)
    remote = lab.directory.url.appendingPathComponent("remote.git").path
    work = lab.directory.url.appendingPathComponent("work").path
    git = CommandRunner(executable: URL(fileURLWithPath: which("git") ?? "/usr/bin/git"))
    try await run(["init", "--quiet", "--bare", "--initial-branch=main", remote])
    try await run(["init", "--quiet", "--initial-branch=main", work])
    try await run(["-C", work, "remote", "add", "origin", remote])
    try FileManager.default.createDirectory(
      atPath: work + "/clusters",
      withIntermediateDirectories: true
    )
  }

  struct GitFailed: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs git; a failure throws with git's words.
  @discardableResult
  func run(_ arguments: [String]) async throws -> String {
    let result = await git.run(
      arguments,
      environment: [
        "GIT_AUTHOR_NAME": "lab", "GIT_AUTHOR_EMAIL": "lab@example.invalid",
        "GIT_COMMITTER_NAME": "lab", "GIT_COMMITTER_EMAIL": "lab@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": lab.directory.url.path,
      ]
    )
    guard result.status == 0 else {
      throw GitFailed(description: "git \(arguments): \(result.stderr)")
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Commits `nodes` as the topology (see `ApplyLab.topology`), pushes, and returns the
  /// commit.
  @discardableResult
  func commit(
    _ nodes: [ApplyLab.Node],
    policy: [String: String] = [:],
    _ message: String
  )
    async throws -> String
  {
    let written = try lab.topology(nodes, policy: policy, file: "rendered.yaml")
    return try await commit(text: try String(contentsOfFile: written, encoding: .utf8), message)
  }

  /// Commits `text` as the topology file, pushes, and returns the commit.
  @discardableResult
  func commit(text: String, _ message: String) async throws -> String {
    try Data(text.utf8).write(to: URL(fileURLWithPath: work + "/" + Self.path))
    try await run(["-C", work, "add", "--all"])
    try await run(["-C", work, "commit", "--quiet", "--allow-empty", "-m", message])
    try await run(["-C", work, "push", "--quiet", "--force", "origin", "main"])
    let commit = try await run(["-C", work, "rev-parse", "HEAD"])
    lab.commits.insert(commit)
    return commit
  }

  /// `mktopo reconcile --git URL --path PATH --state-dir STATE --once` and `options`.
  func once(_ options: [String] = []) async -> CommandRunner.Output {
    await lab.run(arguments(["--once"] + options))
  }

  func arguments(_ options: [String]) -> [String] {
    ["reconcile", "--git", url, "--path", Self.path, "--state-dir", state] + options
  }

  /// The daemon, started in the background.
  func start(_ options: [String]) throws -> ApplyProcess {
    try ApplyProcess.start(
      lab.mktopo.executable.path,
      arguments(options),
      environment: lab.environment,
      outputPrefix: lab.directory.url.appendingPathComponent("daemon-\(UUID())").path
    )
  }

  /// `reconcile.status.json`, parsed; nil before the first pass wrote it.
  func status() -> [String: Any]? {
    guard let data = FileManager.default.contents(atPath: state + "/reconcile.status.json")
    else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
  }

  func lastPass() -> [String: Any]? { status()?["lastPass"] as? [String: Any] }

  /// Polls the status file while the daemon runs (hang guard: 90 s); whether
  /// `condition` came true.
  func waitForStatus(
    _ daemon: ApplyProcess,
    _ condition: ([String: Any]) -> Bool
  ) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(90)
    while ContinuousClock.now < deadline, daemon.poll() == nil {
      if let status = status(), condition(status) { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return status().map(condition) ?? false
  }

  /// Voters and workers of the cluster of node1, by hostname.
  func membership() async throws -> [String: String] {
    try await lab.world().datastore()
  }
}
