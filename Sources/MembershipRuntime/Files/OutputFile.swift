import Glibc

/// Writes result files (saved plans, snapshots) so that a reader never sees half a file.
public enum OutputFile {
  public struct WriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
  }

  /// Writes to a temporary file beside `path`, then renames it over `path`.
  public static func write(_ text: String, to path: String) throws(WriteError) {
    let temporary = path + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw WriteError(path: path, reason: lastError()) }
    var text = text
    let written = text.withUTF8 { buffer -> Bool in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let count = Glibc.write(descriptor, base + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += count
      }
      return true
    }
    let reason = lastError()
    guard written, fsync(descriptor) == 0, close(descriptor) == 0 else {
      unlink(temporary)
      throw WriteError(path: path, reason: reason)
    }
    guard rename(temporary, path) == 0 else {
      let reason = lastError()
      unlink(temporary)
      throw WriteError(path: path, reason: reason)
    }
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }
}
