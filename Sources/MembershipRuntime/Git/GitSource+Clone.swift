import Glibc

extension GitSource {
  /// What follows the clone's name in the name of a clone still being made:
  /// `<hash>.clone-<pid>`.
  static let unfinishedCloneMarker = ".clone-"

  /// Clones into a temporary sibling of the clone's path and renames it into place, so
  /// that path only ever holds a complete repository.
  ///
  /// A clone that fails or is stopped (timeout, cancellation) is removed at once; one
  /// killed with the whole process is removed before the next clone starts.
  func clone() async throws(Failure) {
    let directory = repositoryDirectory
    try removeUnfinishedClones()
    let temporary = directory + Self.unfinishedCloneMarker + String(getpid())
    let result: CommandResult
    do throws(Failure) {
      result = try await git(
        ["clone", "--bare", "--quiet", "--", url, temporary],
        display: "git clone --bare \(displayURL) \(temporary)",
        inRepository: false
      )
    } catch {
      // Should this removal fail, the next clone meets the leftover and reports it.
      _ = Self.removeTree(temporary)
      throw error
    }
    guard result.succeeded else {
      _ = Self.removeTree(temporary)
      throw failure(.fetchFailed(detail: excerpt(result)))
    }
    // rename(2) is atomic, so the clone's path holds all of it or nothing. The path was
    // absent just before cloning, and no other process uses this state directory.
    guard rename(temporary, directory) == 0 else {
      let reason = String(cString: strerror(errno))
      _ = Self.removeTree(temporary)
      throw failure(
        .notARepository(
          directory: directory,
          detail: "cannot move the new clone \(temporary) to it: \(reason)"
        )
      )
    }
    // Made just now by `git clone --bare`: no need to ask git whether it is bare.
    memory.checkedClone = true
  }

  /// Removes the `<hash>.clone-*` directories of this URL that a killed run left behind.
  ///
  /// Only this source's own names: anything else in `<state>/git` is left alone.
  private func removeUnfinishedClones() throws(Failure) {
    let directory = repositoryDirectory
    guard let slash = directory.lastIndex(of: "/") else { return }
    let parent = String(directory[..<slash])
    let prefix = directory[slash...].dropFirst() + Self.unfinishedCloneMarker
    for name in Self.names(in: parent) where name.hasPrefix(prefix) {
      let leftover = parent + "/" + name
      if let code = Self.removeTree(leftover) {
        let reason = String(cString: strerror(code))
        throw failure(
          .notARepository(
            directory: leftover,
            detail: "an unfinished clone from an earlier run, which cannot be removed: \(reason)"
          )
        )
      }
    }
  }

  /// The names in a directory, without `.` and `..`; none when it cannot be read (it
  /// does not exist before the first clone).
  private static func names(in directory: String) -> [String] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    return names(in: stream)
  }

  private static func names(in stream: OpaquePointer) -> [String] {
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != ".", name != ".." { names.append(name) }
    }
    return names
  }

  /// Removes `path` and everything under it, never following a symbolic link; returns
  /// the `errno` of the first failure, or nil once nothing is left.
  static func removeTree(_ path: String) -> Int32? {
    remove(path, in: AT_FDCWD)
  }

  /// Removes `name`, relative to the open directory `parent`; descriptors rather than
  /// paths, so a symbolic link swapped in for a directory is removed, not followed.
  private static func remove(_ name: String, in parent: Int32) -> Int32? {
    var info = stat()
    guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
      return errno == ENOENT ? nil : errno
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      return (unlinkat(parent, name, 0) == 0 || errno == ENOENT) ? nil : errno
    }
    let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return errno }
    guard let stream = fdopendir(descriptor) else {
      let code = errno
      close(descriptor)
      return code
    }
    // Closing the stream closes `descriptor`, which the loop below still uses.
    defer { closedir(stream) }
    for child in names(in: stream) {
      if let code = remove(child, in: descriptor) { return code }
    }
    return (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT) ? nil : errno
  }
}
