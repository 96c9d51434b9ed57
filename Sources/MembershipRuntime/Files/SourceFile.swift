import Glibc

/// Reads topology files (or standard input) with a size cap.
///
/// Reads at most `limit + 1` bytes, so an oversized or endless input (a FIFO, /dev/zero)
/// is refused without being held in memory.
public enum SourceFile {
  public enum ReadError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    case cannotRead(String, String)
    case isDirectory(String)

    public var description: String {
      switch self {
      case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
      case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
      case .isDirectory(let path): "\(path) is a directory; name a topology file"
      }
    }
  }

  /// The name diagnostics use for standard input.
  public static let standardInputName = "<stdin>"

  /// Reads `path`, or standard input for `-`, returning at most `limit + 1` bytes.
  public static func read(_ path: String, limit: Int) throws(ReadError) -> [UInt8] {
    if path == "-" { return try read(descriptor: 0, name: standardInputName, limit: limit) }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotOpen(path, lastError()) }
    defer { close(descriptor) }
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      throw .isDirectory(path)
    }
    // A regular file says its size: room for it at once, not a copy per doubling.
    let expected = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
    return try read(descriptor: descriptor, name: path, limit: limit, expected: expected)
  }

  private static func read(
    descriptor: Int32,
    name: String,
    limit: Int,
    expected: Int = 0
  ) throws(ReadError) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(max(expected, 0), limit) + 1)
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while bytes.count <= limit {
      let wanted = min(chunk.count, limit + 1 - bytes.count)
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(name, lastError())
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }
}
