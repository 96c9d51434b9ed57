import Glibc
import MembershipCore

/// A topology file in a git repository, read with the real `git` client.
///
/// The repository is cloned once, bare, into `<state>/git/<sha256 of the URL>`, and
/// fetched on every later call, so ssh and https remotes, credential helpers and
/// `~/.ssh/config` work as they do for the user's own `git`. Git never prompts
/// (`GIT_TERMINAL_PROMPT=0`, and the child has no terminal). Every command goes through
/// `LocalTransport`, so each is bounded by `timeout` and killed with its children.
///
/// The first clone goes to a temporary sibling, `<hash>.clone-<pid>`, renamed into place
/// once complete, so a clone killed part way never leaves a half repository where later
/// calls look; the next clone removes such leftovers first, taking them as dead. So one
/// call at a time may use a state directory: the daemon's lock keeps other processes
/// out, and its passes run one after another.
///
/// Trusting signers: `verifySignature` runs `git verify-commit` with the git
/// configuration of the user the daemon runs as (`/etc/gitconfig`, `~/.gitconfig`,
/// `~/.config/git/config`), as that user's own git would; mktopo adds none. For SSH
/// signatures, list the trusted public keys in an allowed signers file, one line each
/// (`alice@example.com namespaces="git" ssh-ed25519 AAAA…`, the format in
/// ssh-keygen(1), ALLOWED SIGNERS), and name it for that user:
/// `git config --global gpg.ssh.allowedSignersFile /etc/mktopo/allowed_signers` (or
/// `--system`). An unsigned commit, or one signed by a key not in the file, is refused.
/// For OpenPGP signatures, import the signers' public keys into that user's GnuPG
/// keyring (`gpg --import`); git accepts a good signature by any key there unless
/// `gpg.minTrustLevel` (e.g. `fully`) asks for more. Setting the option in the clone's
/// own configuration (`git --git-dir <state>/git/<hash> config …`) works too, but is lost
/// whenever the clone is removed and made again.
public struct GitSource: Sendable {
  /// The remote, as `git clone` takes it (ssh, https or file).
  public let url: String
  /// A branch, a tag or a commit hash; anything `git rev-parse` resolves to a commit.
  public let ref: String
  /// The topology file, relative to the repository's top level.
  public let path: String
  /// The daemon's state directory; the clone lives under `git/` in it.
  public let stateDirectory: String
  /// The most one git command may take (a first clone of a large repository is slowest).
  public let timeout: Duration
  /// The git program; tests name a missing one.
  let program: String
  /// Shared by copies of this value: whether the clone was checked, what git ran.
  let memory = Memory()

  public init(
    url: String,
    ref: String,
    path: String,
    stateDirectory: String,
    timeout: Duration = .seconds(120)
  ) {
    self.init(
      url: url,
      ref: ref,
      path: path,
      stateDirectory: stateDirectory,
      timeout: timeout,
      program: "git"
    )
  }

  init(
    url: String,
    ref: String,
    path: String,
    stateDirectory: String,
    timeout: Duration,
    program: String
  ) {
    self.url = url
    self.ref = ref
    self.path = path
    self.stateDirectory = stateDirectory
    self.timeout = timeout
    self.program = program
  }

  /// One file at one commit.
  public struct Revision: Sendable, Equatable {
    /// The full commit hash (40 hex digits; 64 in a SHA-256 repository).
    public var commit: String
    /// The file's bytes, exactly as committed.
    public var bytes: [UInt8]
    /// The first line of the commit message, when git could read it.
    public var subject: String?

    public init(commit: String, bytes: [UInt8], subject: String? = nil) {
      self.commit = commit
      self.bytes = bytes
      self.subject = subject
    }
  }

  /// The bare clone: `<state>/git/` and the first 16 hex digits of the URL's SHA-256.
  public var repositoryDirectory: String {
    let digest = SHA256.hex(SHA256.hash(Array(url.utf8)))
    return stateDirectory + "/git/" + String(digest.prefix(16))
  }

  /// Clones once, then fetches; resolves `ref` to a commit and returns the file at it.
  ///
  /// The same as `fetch(previous: nil)`.
  public func fetch() async throws(Failure) -> Revision {
    try await fetch(previous: nil)
  }

  /// Clones once, then fetches; resolves `ref` and returns the file at that commit, or
  /// `previous` when the commit is still `previous.commit`.
  ///
  /// With the clone checked once, a pass whose commit has not moved runs two git
  /// commands, `git fetch` and `git rev-parse`, and reads nothing. `previous` must be a
  /// revision of this source (same URL and path): it is returned as it is. A failure
  /// changes nothing but the clone, and is thrown even when `previous` is given: the
  /// caller keeps the cluster as it is.
  public func fetch(previous: Revision?) async throws(Failure) -> Revision {
    try checkArguments()
    try await update()
    let commit = try await resolve()
    if let previous, previous.commit == commit { return previous }
    let bytes = try await read(at: commit)
    return Revision(commit: commit, bytes: bytes, subject: await subject(of: commit))
  }

  /// Succeeds only if `git verify-commit` accepts the commit's signature.
  ///
  /// Which keys are trusted is git's configuration (`gpg.format`,
  /// `gpg.ssh.allowedSignersFile`, the GnuPG keyring), as for the user's own git: see
  /// the type's documentation.
  public func verifySignature(_ commit: String) async throws(Failure) {
    guard Self.isCommitHash(commit) else {
      throw failure(
        .invalidArgument(name: "commit", value: commit, rule: "must be a full commit hash")
      )
    }
    try await checkRepository()
    let result = try await git(["verify-commit", commit], display: "git verify-commit \(commit)")
    guard result.succeeded else {
      throw failure(.signatureRejected(commit: commit, detail: excerpt(result)))
    }
  }

  // MARK: - Steps

  private func update() async throws(Failure) {
    guard Self.exists(repositoryDirectory) else { return try await clone() }
    let checkedEarlier = memory.checkedClone
    try await checkRepository()
    let result = try await git(
      [
        "fetch", "--quiet", "--force", "--prune", "origin",
        "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
      ],
      display: "git fetch origin"
    )
    guard result.succeeded else {
      if checkedEarlier {
        // Not checked this time: the clone, not the remote, may be what broke since.
        memory.checkedClone = false
        try await checkRepository()
      }
      throw failure(.fetchFailed(detail: excerpt(result)))
    }
  }

  /// Fails unless the clone exists and is a bare repository; `git rev-parse` runs only
  /// until one check has passed, so a converged pass is a fetch and a rev-parse.
  ///
  /// Checked before anything writes to it: a fetch with `--force --prune` into some
  /// other repository left at this path would rewrite its branches.
  private func checkRepository() async throws(Failure) {
    let directory = repositoryDirectory
    guard Self.exists(directory) else {
      memory.checkedClone = false
      throw failure(.notARepository(directory: directory, detail: "it does not exist"))
    }
    guard !memory.checkedClone else { return }
    let result = try await git(
      ["rev-parse", "--is-bare-repository"],
      display: "git rev-parse --is-bare-repository"
    )
    guard result.succeeded, result.standardOutput.hasPrefix("true") else {
      throw failure(.notARepository(directory: directory, detail: excerpt(result)))
    }
    memory.checkedClone = true
  }

  private func resolve() async throws(Failure) -> String {
    let result = try await git(
      ["rev-parse", "--verify", "--quiet", ref + "^{commit}"],
      display: "git rev-parse --verify \(ref)^{commit}"
    )
    let commit = result.standardOutput.filter { !$0.isWhitespace }
    guard result.succeeded, Self.isCommitHash(commit) else { throw failure(.unknownRef) }
    return commit
  }

  private func read(at commit: String) async throws(Failure) -> [UInt8] {
    let listing = try await git(
      ["ls-tree", "-z", "-l", "--full-tree", commit, "--", path],
      display: "git ls-tree \(commit) -- \(path)"
    )
    guard listing.succeeded else {
      throw failure(.gitFailed(command: "git ls-tree", detail: excerpt(listing)))
    }
    guard let entry = TreeEntry.find(path, in: listing.standardOutput) else {
      throw failure(.pathMissing(commit: commit))
    }
    guard entry.type == "blob", entry.mode != "120000", let size = entry.size else {
      let kind = entry.mode == "120000" ? "a symbolic link" : "a \(entry.type)"
      throw failure(.notAFile(commit: commit, kind: kind))
    }
    let limit = TopologyLoader.maxFileSize
    guard size <= limit else {
      throw failure(.tooLarge(commit: commit, size: size, limit: limit))
    }
    let content = try await git(
      ["cat-file", "blob", entry.object],
      display: "git cat-file blob \(entry.object)",
      outputLimit: limit
    )
    guard content.succeeded else {
      throw failure(.gitFailed(command: "git cat-file", detail: excerpt(content)))
    }
    let bytes = Array(content.standardOutput.utf8)
    // The transport decodes output as UTF-8; a different length means bytes were replaced.
    guard bytes.count == size else { throw failure(.notUTF8(commit: commit)) }
    return bytes
  }

  private func subject(of commit: String) async -> String? {
    let result = try? await git(
      ["log", "-1", "--format=%s", commit, "--"],
      display: "git log -1 \(commit)"
    )
    guard let result, result.succeeded else { return nil }
    let subject = result.standardOutput.trimmingSuffix { $0.isNewline }
    return subject.isEmpty ? nil : subject
  }
}

extension StringProtocol {
  fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
    var text = String(self)
    while let last = text.last, predicate(last) { text.removeLast() }
    return text
  }
}
