import Foundation
import Testing

/// Runs a program as a black box and collects its exit status and output.
///
/// Standard output and standard error go to temporary files rather than pipes, so a child
/// that writes megabytes to one stream while we read the other cannot deadlock. Standard
/// input is a temporary file holding `stdin`, or /dev/null. The environment is the test
/// runner's, minus the variables in `unset` (colour switches by default), plus
/// `environment`.
struct CommandRunner: Sendable {
  /// What a run produced: the exit status and the text of standard output and error.
  typealias Output = (status: Int32, stdout: String, stderr: String)

  /// The program to run.
  var executable: URL
  /// The directory the program runs in; the package root, so that relative paths such as
  /// `examples/single-node.yaml` are resolved, and reported, as in the repository.
  var workingDirectory: URL = Paths.packageRoot
  /// Variables removed from the inherited environment before `environment` is applied.
  var unset: Set<String> = ["NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE"]
  /// A run that takes longer than this is killed and recorded as a test failure.
  var timeout: Duration = .seconds(60)

  /// A runner for the built `mktopo`, found in the directory of the test runner itself.
  static func mktopo() throws -> CommandRunner {
    CommandRunner(executable: try Paths.mktopoBinary())
  }

  /// Runs the program with `args`; never throws: problems starting or waiting for it are
  /// recorded as test issues, with a status of -1.
  ///
  /// Async, and waiting by sleeping the task: a blocking wait would hold one of the few
  /// threads that every test of the process shares (two on a 2-core machine) and stall
  /// the tests whose timing matters.
  func run(
    _ args: [String],
    stdin: [UInt8]? = nil,
    environment: [String: String] = [:]
  ) async -> (status: Int32, stdout: String, stderr: String) {
    let files = FileManager.default
    let scratch = files.temporaryDirectory
      .appendingPathComponent("mktopo-e2e-run-\(UUID().uuidString)", isDirectory: true)
    do {
      try files.createDirectory(at: scratch, withIntermediateDirectories: true)
    } catch {
      Issue.record("cannot create a scratch directory for \(executable.path): \(error)")
      return (-1, "", "")
    }
    defer { try? files.removeItem(at: scratch) }

    let stdoutURL = scratch.appendingPathComponent("stdout")
    let stderrURL = scratch.appendingPathComponent("stderr")
    let stdinURL = scratch.appendingPathComponent("stdin")
    let process = Process()
    process.executableURL = executable
    process.arguments = args
    process.currentDirectoryURL = workingDirectory
    var variables = ProcessInfo.processInfo.environment
    for name in unset { variables.removeValue(forKey: name) }
    variables.merge(environment) { _, new in new }
    variables["PATH"] = NetworkGuard.directory + ":" + (variables["PATH"] ?? "/usr/bin:/bin")
    process.environment = variables

    let handles: [FileHandle]
    do {
      guard
        files.createFile(atPath: stdoutURL.path, contents: nil),
        files.createFile(atPath: stderrURL.path, contents: nil),
        files.createFile(atPath: stdinURL.path, contents: Data(stdin ?? []))
      else {
        Issue.record("cannot create the output files in \(scratch.path)")
        return (-1, "", "")
      }
      let output = try FileHandle(forWritingTo: stdoutURL)
      let error = try FileHandle(forWritingTo: stderrURL)
      let input = stdin == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: stdinURL)
      handles = [output, error, input]
      process.standardOutput = output
      process.standardError = error
      process.standardInput = input
      try process.run()
    } catch {
      Issue.record("cannot run \(executable.path) \(args): \(error)")
      return (-1, "", "")
    }

    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while process.isRunning && clock.now < deadline {
      try? await Task.sleep(for: .milliseconds(2))
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      Issue.record("\(executable.lastPathComponent) \(args) did not finish within \(timeout)")
    }
    process.waitUntilExit()
    for handle in handles where handle !== FileHandle.nullDevice { try? handle.close() }

    var status = process.terminationStatus
    if process.terminationReason == .uncaughtSignal {
      Issue.record("\(executable.lastPathComponent) \(args) was killed by signal \(status)")
      status = 128 + status
    }
    let stdout = (try? Data(contentsOf: stdoutURL)) ?? Data()
    let stderr = (try? Data(contentsOf: stderrURL)) ?? Data()
    return (
      status,
      String(decoding: stdout, as: UTF8.self),
      String(decoding: stderr, as: UTF8.self)
    )
  }
}

/// Tests may reach only 127.0.0.0/8: an `ssh` first on every run's PATH that refuses any
/// other destination (exit 255, as an unreachable host), so a test that points mktopo at
/// an example's documentation addresses fails instead of touching a network.
enum NetworkGuard {
  static let directory: String = {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mktopo-e2e-network-guard-\(getpid())").path
    let script = """
      #!/bin/sh
      # mktopo end-to-end tests: ssh only to 127.0.0.0/8.
      for argument in "$@"; do
        case "$argument" in 127.*|*@127.*) exec /usr/bin/ssh "$@" ;; esac
      done
      echo "network guard: the tests refused ssh $*: only 127.0.0.0/8 may be reached" >&2
      exit 255

      """
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/ssh"
    _ = FileManager.default.createFile(
      atPath: path,
      contents: Data(script.utf8),
      attributes: [.posixPermissions: 0o755]
    )
    return directory
  }()
}
