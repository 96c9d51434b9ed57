import Glibc
import Subprocess

/// The few file operations the harness needs, without Foundation.
enum TestFiles {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws(Failure) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
      throw Failure(description: "cannot write \(path): \(lastError())")
    }
    defer { close(descriptor) }
    var text = text
    let complete = text.withUTF8 { buffer -> Bool in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let count = Glibc.write(descriptor, base + offset, buffer.count - offset)
        if count < 0, errno == EINTR { continue }
        if count <= 0 { return false }
        offset += count
      }
      return true
    }
    guard complete else { throw Failure(description: "cannot write \(path): \(lastError())") }
  }

  static func read(_ path: String) -> String? {
    ProcessTable.readSmallFile(path, limit: 1024 * 1024).map { String(decoding: $0, as: UTF8.self) }
  }

  /// A new directory `/tmp/<prefix>XXXXXX`, mode 0700.
  static func makeTemporaryDirectory(prefix: String) throws(Failure) -> String {
    var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
      return String(cString: base)
    }
    guard let path else {
      throw Failure(description: "cannot create a directory in /tmp: \(lastError())")
    }
    return path
  }

  /// Removes a directory tree the harness made.
  static func remove(_ path: String) async {
    guard path.hasPrefix("/tmp/") else { return }
    _ = try? await Subprocess.run(
      .path("/bin/rm"),
      arguments: ["-rf", "--", path],
      output: .discarded
    )
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}
