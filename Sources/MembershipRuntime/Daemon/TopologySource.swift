import MembershipCore

/// Where the reconcile daemon reads the topology: a file, or a file in a git repository.
public enum TopologySource: Sendable {
  case file(path: String)
  /// `verifySignatures`: refuse commits that `git verify-commit` does not accept.
  case git(GitSource, verifySignatures: Bool)

  /// The topology's bytes at one revision.
  public struct Read: Sendable, Equatable {
    /// A commit for git; `sha256:` and 16 hex digits of the bytes for a file.
    public var revision: String
    public var subject: String?
    public var bytes: [UInt8]
    /// The name diagnostics give the file: the path, with the commit's first 12 digits.
    public var name: String
  }

  /// Reading failed; the cluster must be left as it is.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Worth retrying unchanged: the network, the remote, time.
    public var isTransient: Bool
    /// The revision, when it was resolved before the failure (a rejected signature).
    public var revision: String?
  }

  /// In words, for the status file and the logs: never a password in a URL.
  public var description: String {
    switch self {
    case .file(let path): return "file \(path)"
    case .git(let source, _):
      return "git \(source.displayURL) ref \(source.ref) path \(source.path)"
    }
  }

  /// Reads the current revision; `previous` lets an unchanged commit skip reading the
  /// file again, and skips a second signature check of the same commit.
  public func read(previous: Read?) async throws(Failure) -> Read {
    switch self {
    case .file(let path):
      do {
        let bytes = try SourceFile.read(path, limit: TopologyLoader.maxFileSize)
        let revision = "sha256:" + SHA256.hex(SHA256.hash(bytes)).prefix(16)
        return Read(revision: revision, subject: nil, bytes: bytes, name: path)
      } catch {
        // A file being rewritten reads again fine at the next pass.
        throw Failure(description: error.description, isTransient: true, revision: nil)
      }
    case .git(let source, let verifySignatures):
      let known = previous.map {
        GitSource.Revision(commit: $0.revision, bytes: $0.bytes, subject: $0.subject)
      }
      do throws(GitSource.Failure) {
        let revision = try await source.fetch(previous: known)
        if previous?.revision == revision.commit, let previous { return previous }
        if verifySignatures { try await source.verifySignature(revision.commit) }
        return Read(
          revision: revision.commit,
          subject: revision.subject,
          bytes: revision.bytes,
          name: "\(source.path)@\(revision.commit.prefix(12))"
        )
      } catch {
        var revision: String?
        if case .signatureRejected(let commit, _) = error.reason { revision = commit }
        throw Failure(
          description: error.description,
          isTransient: error.isTransient,
          revision: revision
        )
      }
    }
  }
}
