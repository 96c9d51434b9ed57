extension GitSource {
  /// Reading the topology from git failed; nothing about the cluster should change.
  ///
  /// The message names the repository (any password in its URL redacted), the ref and
  /// the path, and says what to do.
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var repository: String
    public var ref: String
    public var path: String
    public var reason: Reason

    public init(repository: String, ref: String, path: String, reason: Reason) {
      self.repository = repository
      self.ref = ref
      self.path = path
      self.reason = reason
    }

    public enum Reason: Sendable, Equatable {
      /// Cloning or fetching failed: the remote is down or unreachable, or refused us.
      case fetchFailed(detail: String)
      /// A git command was still running at the timeout and was stopped.
      case timedOut(command: String, after: Duration)
      /// The ref names no branch, tag or commit in the repository.
      case unknownRef
      /// The commit has no file at the path.
      case pathMissing(commit: String)
      /// The path names a directory, a submodule or a symbolic link.
      case notAFile(commit: String, kind: String)
      /// The file is larger than a topology file may be.
      case tooLarge(commit: String, size: Int, limit: Int)
      /// The file is not UTF-8 text.
      case notUTF8(commit: String)
      /// The clone in the state directory is missing or is not a bare git repository, or
      /// a clone being made there cannot be moved into place or removed.
      case notARepository(directory: String, detail: String)
      /// `git verify-commit` did not accept the commit's signature.
      case signatureRejected(commit: String, detail: String)
      /// The `git` program could not be started.
      case gitNotInstalled(detail: String)
      /// A ref, path or commit that could be taken for an option, or is malformed.
      case invalidArgument(name: String, value: String, rule: String)
      /// Some other git command failed unexpectedly.
      case gitFailed(command: String, detail: String)
      /// The caller's task was cancelled; the git command was stopped.
      case interrupted
    }

    /// Worth retrying unchanged at the next pass: the network, the remote or time.
    public var isTransient: Bool {
      switch reason {
      case .fetchFailed, .timedOut, .interrupted: true
      case .unknownRef, .pathMissing, .notAFile, .tooLarge, .notUTF8, .notARepository,
        .signatureRejected, .gitNotInstalled, .invalidArgument, .gitFailed:
        false
      }
    }

    public var description: String {
      let source = "\(repository) (ref '\(ref)', path '\(path)')"
      let kept = "The cluster is left as it is."
      switch reason {
      case .fetchFailed(let detail):
        return "\(source): cannot fetch from the repository" + Self.quoted(detail)
          + "\n\(kept) The next pass retries; check the URL, the network and the "
          + "credentials (try 'git ls-remote \(repository)' as the same user)."
      case .timedOut(let command, let after):
        return "\(source): '\(command)' did not finish within "
          + "\(TransportError.format(after)); it was stopped. \(kept) The next pass "
          + "retries; check the network, or allow more time."
      case .unknownRef:
        return "\(source): no branch, tag or commit '\(ref)' in the repository. "
          + "\(kept) Check the ref (try 'git ls-remote \(repository)'); a commit must "
          + "be reachable from a branch or tag."
      case .pathMissing(let commit):
        return "\(source): no file '\(path)' at commit \(commit). \(kept) Check the "
          + "path (relative to the repository's top level) or restore the file."
      case .notAFile(let commit, let kind):
        return "\(source): '\(path)' at commit \(commit) is \(kind), not a file. "
          + "\(kept) Point the path at the topology file itself."
      case .tooLarge(let commit, let size, let limit):
        return "\(source): '\(path)' at commit \(commit) is \(size) bytes, more than "
          + "\(TransportError.format(bytes: limit)), the limit for a topology file. "
          + "\(kept) Check that the path names the topology file."
      case .notUTF8(let commit):
        return "\(source): '\(path)' at commit \(commit) is not UTF-8 text. \(kept) "
          + "Save the topology file as UTF-8."
      case .notARepository(let directory, let detail):
        return "\(source): the clone \(directory) is not a bare git repository"
          + Self.quoted(detail) + "\n\(kept) Remove that directory; the next pass "
          + "clones again."
      case .signatureRejected(let commit, let detail):
        return "\(source): git verify-commit does not accept the signature of commit "
          + "\(commit)" + Self.quoted(detail) + "\n\(kept) Sign the commit with a "
          + "trusted key, or trust the signer's key in git's configuration."
      case .gitNotInstalled(let detail):
        return "\(source): cannot run git: \(detail)\n\(kept) Install git or put its "
          + "directory on PATH."
      case .invalidArgument(let name, let value, let rule):
        return "\(source): the \(name) '\(value)' \(rule). Nothing was fetched."
      case .gitFailed(let command, let detail):
        return "\(source): '\(command)' failed" + Self.quoted(detail)
          + "\n\(kept) If this persists, remove the clone in the state directory."
      case .interrupted:
        return "\(source): interrupted; git was stopped. \(kept)"
      }
    }

    private static func quoted(_ detail: String) -> String {
      guard !detail.isEmpty else { return "." }
      return ":\n  " + detail.split(separator: "\n").joined(separator: "\n  ")
    }
  }
}
