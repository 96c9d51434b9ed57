import Synchronization

extension GitSource {
  /// Runs `git` through `LocalTransport` with prompts off, against the clone unless
  /// `inRepository` is false.
  ///
  /// `--git-dir` rather than `-C`: a directory that is not a repository must never make
  /// git search upward and act on an enclosing one. Exit statuses come back as results;
  /// only a command that could not run or finish throws.
  func git(
    _ arguments: [String],
    display: String,
    inRepository: Bool = true,
    outputLimit: Int = Invocation.defaultOutputLimit
  ) async throws(Failure) -> CommandResult {
    memory.record(arguments.first ?? "")
    var argv = ["env", "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=", program]
    if inRepository { argv += ["--git-dir", repositoryDirectory] }
    argv += arguments
    let invocation = Invocation(
      argv,
      display: display,
      timeout: timeout,
      secrets: Self.password(in: url).map { [$0] } ?? [],
      outputLimit: outputLimit
    )
    let result: CommandResult
    do {
      result = try await LocalTransport(host: "git").run(invocation)
    } catch {
      throw failure(for: error)
    }
    // `env` exits 127 when it cannot find the program.
    if result.status == .exited(127), result.standardError.contains("env: ") {
      throw failure(.gitNotInstalled(detail: excerpt(result)))
    }
    return result
  }

  private func failure(for error: TransportError) -> Failure {
    switch error.reason {
    case .unreachable(let detail), .hostKeyRejected(let detail),
      .authenticationRejected(let detail):
      // Exit status 255: git's own fatal errors never use it, so ssh or a helper failed.
      return failure(.fetchFailed(detail: detail))
    case .timedOut(let after):
      return failure(.timedOut(command: error.command, after: after))
    case .cannotLaunch(_, let detail):
      return failure(.gitNotInstalled(detail: detail))
    case .outputTooLarge:
      return failure(.gitFailed(command: error.command, detail: error.description))
    case .cancelled:
      return failure(.interrupted)
    }
  }

  /// The tail of standard error, secrets removed, for a message.
  func excerpt(_ result: CommandResult) -> String {
    let secrets = Self.password(in: url).map { [$0] } ?? []
    let detail = OutputExcerpt.tail(result.standardError, secrets: secrets)
    return detail.isEmpty ? "git \(result.status)" : detail
  }

  func failure(_ reason: Failure.Reason) -> Failure {
    Failure(repository: displayURL, ref: ref, path: path, reason: reason)
  }

  /// The URL with any password in it replaced, for messages and logs.
  var displayURL: String {
    guard let password = Self.password(in: url) else { return url }
    return url.replacing(":" + password + "@", with: ":<redacted>@")
  }

  /// The password of `scheme://user:password@host/…`, if the URL carries one.
  static func password(in url: String) -> String? {
    guard let scheme = url.firstRange(of: "://") else { return nil }
    let rest = url[scheme.upperBound...]
    let authority = rest.prefix { $0 != "/" }
    guard let at = authority.lastIndex(of: "@") else { return nil }
    let userinfo = authority[..<at]
    guard let colon = userinfo.firstIndex(of: ":") else { return nil }
    let password = String(userinfo[userinfo.index(after: colon)...])
    return password.isEmpty ? nil : password
  }
}

extension GitSource {
  /// What a source remembers between calls, shared by its copies (the daemon keeps one in
  /// its configuration and calls it from each pass).
  final class Memory: Sendable {
    private struct State {
      var checkedClone = false
      var commandCounts: [String: Int] = [:]
    }

    private let state = Mutex(State())

    /// The clone passed `git rev-parse --is-bare-repository` (or this source made it).
    var checkedClone: Bool {
      get { state.withLock { $0.checkedClone } }
      set { state.withLock { $0.checkedClone = newValue } }
    }

    /// How many times each git subcommand (`fetch`, `rev-parse`, …) has run, for tests.
    ///
    /// Counts rather than a list: a daemon runs for months, and this must not grow.
    var commandCounts: [String: Int] { state.withLock { $0.commandCounts } }

    func record(_ subcommand: String) {
      state.withLock { $0.commandCounts[subcommand, default: 0] += 1 }
    }
  }
}

/// One line of `git ls-tree -z -l`: `MODE TYPE OBJECT SIZE\tPATH`, NUL-terminated.
struct TreeEntry: Equatable {
  var mode: String
  var type: String
  var object: String
  /// Nil for a tree or a submodule, which `ls-tree -l` shows as `-`.
  var size: Int?
  var path: String

  /// The entry naming exactly `path`, if the listing has one.
  static func find(_ path: String, in listing: String) -> TreeEntry? {
    for record in listing.split(separator: "\0") {
      guard let tab = record.firstIndex(of: "\t") else { continue }
      let fields = record[..<tab].split(separator: " ", omittingEmptySubsequences: true)
      let name = String(record[record.index(after: tab)...])
      guard fields.count == 4, name == path else { continue }
      return TreeEntry(
        mode: String(fields[0]),
        type: String(fields[1]),
        object: String(fields[2]),
        size: Int(fields[3]),
        path: name
      )
    }
    return nil
  }
}
