import Glibc
import Subprocess
import Synchronization

/// Runs one local program for a transport: no shell, output captured, bounded in time
/// and size.
///
/// The program gets its own session, so a timeout can stop everything it started (ssh's
/// helpers, a simulator's children, a `sh -c` pipeline) by signalling the process group:
/// SIGTERM, a grace period, then SIGKILL. swift-subprocess 1.0.2 stops its teardown as
/// soon as the group leader exits, so a child that ignores SIGTERM would outlive a leader
/// that does not; after a timeout (or a stream over its limit) the group is therefore
/// swept with SIGKILL once more.
enum ChildProcess {
  /// Time between SIGTERM and SIGKILL: long enough for ssh to close its connection.
  static let gracePeriod: Duration = .seconds(2)

  /// Runs `argv` locally; `invocation` supplies the timeout, input, limit and how to
  /// name the command in errors.
  static func run(
    _ argv: [String],
    for invocation: Invocation,
    host: String
  ) async throws(TransportError) -> CommandResult {
    guard let program = argv.first, !program.isEmpty else {
      throw TransportError(
        host: host,
        command: invocation.display,
        reason: .cannotLaunch(executable: "", detail: "the command is empty")
      )
    }
    let launch = Launch(program: program, arguments: Array(argv.dropFirst()))
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = await race(launch, invocation)
    let elapsed = clock.now - start
    func failure(_ reason: TransportError.Reason) -> TransportError {
      TransportError(host: host, command: invocation.display, reason: reason)
    }
    switch outcome {
    case .finished(let status, let output):
      if let stream = output.overflow {
        throw failure(.outputTooLarge(stream: stream, limit: invocation.outputLimit))
      }
      return CommandResult(
        status: status,
        standardOutput: String(decoding: output.standardOutput, as: UTF8.self),
        standardError: String(decoding: output.standardError, as: UTF8.self),
        elapsed: elapsed
      )
    case .failedToLaunch(let detail):
      throw failure(.cannotLaunch(executable: program, detail: detail))
    case .timedOut:
      throw failure(.timedOut(after: invocation.timeout))
    case .cancelled:
      throw failure(.cancelled)
    }
  }

  private enum Outcome: Sendable {
    case finished(CommandResult.Status, CapturedOutput)
    case failedToLaunch(String)
    case timedOut
    case cancelled
  }

  /// Runs the program against the clock; cancelling the run makes swift-subprocess
  /// tear the process group down.
  private static func race(_ launch: Launch, _ invocation: Invocation) async -> Outcome {
    let group = ProcessGroup()
    let outcome = await withTaskGroup(of: Outcome?.self) { tasks in
      tasks.addTask { await execute(launch, invocation, group) }
      tasks.addTask {
        do {
          try await Task.sleep(for: invocation.timeout)
          return .timedOut
        } catch {
          return nil
        }
      }
      let first = await tasks.next() ?? nil
      tasks.cancelAll()
      // Wait for the process to be gone before reporting, whichever came first.
      while await tasks.next() != nil {}
      return first ?? .cancelled
    }
    switch outcome {
    case .timedOut, .cancelled: group.kill()
    case .finished(_, let output) where output.overflow != nil: group.kill()
    case .finished, .failedToLaunch: break
    }
    return outcome
  }

  private static func execute(
    _ launch: Launch,
    _ invocation: Invocation,
    _ group: ProcessGroup
  ) async -> Outcome {
    var options = PlatformOptions()
    options.createSession = true
    options.teardownSequence = [
      .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)
    ]
    let limit = invocation.outputLimit
    do {
      let result: ExecutionResult<CapturedOutput, SequenceOutput, SequenceOutput>
      if let text = invocation.standardInput {
        result = try await Subprocess.run(
          launch.executable,
          arguments: Arguments(launch.arguments),
          platformOptions: options,
          input: .string(text),
          output: .sequence,
          error: .sequence
        ) { execution in
          group.record(execution.processIdentifier.value)
          return await OutputCapture.collect(execution, limit: limit)
        }
      } else {
        result = try await Subprocess.run(
          launch.executable,
          arguments: Arguments(launch.arguments),
          platformOptions: options,
          input: .none,
          output: .sequence,
          error: .sequence
        ) { execution in
          group.record(execution.processIdentifier.value)
          return await OutputCapture.collect(execution, limit: limit)
        }
      }
      if Task.isCancelled { return .cancelled }
      return .finished(status(result.terminationStatus), result.closureResult)
    } catch let error as SubprocessError {
      if Task.isCancelled { return .cancelled }
      return .failedToLaunch(launchFailure(error, launch.program))
    } catch {
      if Task.isCancelled { return .cancelled }
      return .failedToLaunch("\(error)")
    }
  }

  private static func status(_ status: TerminationStatus) -> CommandResult.Status {
    switch status {
    case .exited(let code): .exited(code)
    case .signaled(let signal): .signaled(signal)
    }
  }

  private static func launchFailure(_ error: SubprocessError, _ program: String) -> String {
    if error.code == .executableNotFound {
      return program.contains("/")
        ? "no executable file at \(program)" : "'\(program)' was not found on PATH"
    }
    if let errno = error.underlyingError { return "\(errno)" }
    return "\(error)"
  }

  /// What to start: a bare name is looked up on PATH, anything with a slash is a path.
  private struct Launch: Sendable {
    var program: String
    var arguments: [String]

    var executable: Executable {
      if program.contains("/") { return .path(.init(program)) }
      if let found = Self.search(program) { return .path(.init(found)) }
      // Not found: swift-subprocess looks again and reports it in its own words.
      return .name(program)
    }

    /// The first executable file named `name` in a directory of PATH.
    ///
    /// swift-subprocess 1.0.2 finds a bare name by trying to spawn it in each PATH
    /// directory in turn, a fork for every miss; one stat per directory here is far
    /// cheaper, and every ssh and git command starts by a bare name.
    static func search(_ name: String) -> String? {
      guard let variable = getenv("PATH") else { return nil }
      for entry in String(cString: variable).split(separator: ":", omittingEmptySubsequences: false)
      {
        let candidate = (entry.isEmpty ? "." : String(entry)) + "/" + name
        var info = stat()
        if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
          access(candidate, X_OK) == 0
        {
          return candidate
        }
      }
      return nil
    }
  }

  /// The process group of a running child, remembered so a timeout can sweep it.
  private final class ProcessGroup: Sendable {
    private let leader = Atomic<Int32>(0)

    func record(_ pid: pid_t) { leader.store(pid, ordering: .relaxed) }

    /// Sends SIGKILL to whatever is left of the group.
    ///
    /// The leader is reaped by now, but Linux does not hand its pid to a new process
    /// while any member of its group lives, so the signal can only reach our own
    /// stragglers.
    func kill() {
      let pid = leader.load(ordering: .relaxed)
      if pid > 0 { _ = Glibc.kill(-pid, SIGKILL) }
    }
  }
}
