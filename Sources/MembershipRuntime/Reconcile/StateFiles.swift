import Glibc

/// File helpers shared by the lock and the journal, which both live in the state
/// directory.
enum StateFiles {
  /// Creates `path` and any missing parents with mode 0700; returns why it failed.
  ///
  /// The state directory holds who runs what on which host, which is nobody else's
  /// business. An existing directory is left as it is: the operator may have chosen its
  /// mode.
  static func createDirectory(_ path: String) -> String? {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += component
      if mkdir(prefix, 0o700) != 0, errno != EEXIST { return "\(prefix): \(lastError())" }
      prefix += "/"
    }
    var info = stat()
    guard stat(path, &info) == 0 else { return lastError() }
    guard info.st_mode & S_IFMT == S_IFDIR else { return "\(path) is not a directory" }
    return nil
  }

  /// `directory/name`, without doubling a trailing slash.
  static func path(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// Whether a cluster name can stand in a file name.
  ///
  /// The loader admits only DNS labels; this check is for callers that skipped it.
  static func isUsableFileName(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}
