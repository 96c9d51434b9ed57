import Glibc

/// Chooses and creates the private directory for ssh's connection-sharing sockets.
///
/// The sockets normally live in `<state directory>/ssh`. A unix socket path holds at
/// most 107 bytes, and ssh binds `<dir>/cm-<40 hex>.<16 random>` before renaming it, so
/// a state directory deeper than that falls back to `/tmp/mktopo-ssh-<uid>`, or to a
/// fresh private directory under /tmp if that one is not safely ours.
public enum SSHControlDirectory {
  /// The longest directory whose sockets still fit: 107 - "/cm-".count - 40 - 17.
  static let maxLength = 107 - 4 - 40 - 17

  /// The directory to use, created with mode 0700; nil if none could be made, in which
  /// case ssh runs without connection sharing.
  public static func prepare(stateDirectory: String) -> String? {
    let preferred = stateDirectory.hasSuffix("/") ? stateDirectory + "ssh" : stateDirectory + "/ssh"
    if preferred.utf8.count <= maxLength, createPrivate(preferred) { return preferred }
    let shared = "/tmp/mktopo-ssh-\(geteuid())"
    if createPrivate(shared) { return shared }
    return temporary()
  }

  /// Creates `path` and its missing parents, and checks that `path` is a real directory
  /// owned by us that nobody else can enter: under /tmp another user could have made
  /// it first.
  static func createPrivate(_ path: String) -> Bool {
    // The components below are joined from the root: a relative path is not ours to take.
    guard path.hasPrefix("/") else { return false }
    var prefix = ""
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += "/" + component
      if mkdir(prefix, 0o700) != 0, errno != EEXIST { return false }
    }
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
      info.st_uid == geteuid()
    else { return false }
    if info.st_mode & 0o077 != 0 { return chmod(path, 0o700) == 0 }
    return true
  }

  private static func temporary() -> String? {
    var template = Array("/tmp/mktopo-ssh-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
      return String(cString: base)
    }
  }
}
