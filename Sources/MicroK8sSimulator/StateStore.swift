import FoundationEssentials
import Glibc

/// The world's one JSON file in a state directory, read and written under an exclusive
/// `flock` so that concurrent `microk8s-sim` processes never lose or tear an update.
///
/// Writes go to a temporary file that is renamed over the state file, so a reader that
/// ignores the lock still sees either the old or the new world, never half of one.
public struct StateStore: Sendable {
  public var directory: String

  public init(directory: String) {
    self.directory = directory
  }

  public var statePath: String { directory + "/world.json" }
  var lockPath: String { directory + "/world.lock" }

  /// Why the state could not be read or written.
  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(String)
    case unreadable(String)
    case io(String)

    public var description: String {
      switch self {
      case .missing(let message), .unreadable(let message), .io(let message): message
      }
    }
  }

  /// Replaces whatever world the directory held (creating the directory if needed).
  public func create(_ world: World) throws(Failure) {
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw .io("cannot create \(directory): \(Self.lastError())")
    }
    try locked { () throws(Failure) in try write(world) }
  }

  /// Reads the world, lets `body` change it, and writes it back when it changed.
  public func update<Result>(_ body: (inout World) -> Result) throws(Failure) -> Result {
    try locked { () throws(Failure) -> Result in
      let original = try read()
      var world = original
      let result = body(&world)
      if world != original { try write(world) }
      return result
    }
  }

  private func locked<Result>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      if errno == ENOENT { throw .missing(missingMessage) }
      throw .io("cannot open \(lockPath): \(Self.lastError())")
    }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else { throw .io("cannot lock \(lockPath): \(Self.lastError())") }
    }
    return try body()
  }

  private var missingMessage: String {
    "no simulated world in \(directory); create one with "
      + "`microk8s-sim --state \(directory) init --host ADDRESS=HOSTNAME[:TRACK] ...`"
  }

  private func read() throws(Failure) -> World {
    let descriptor = open(statePath, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { throw .missing(missingMessage) }
      throw .io("cannot open \(statePath): \(Self.lastError())")
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw .io("cannot read \(statePath): \(Self.lastError())")
      }
      bytes += buffer[0..<count]
    }
    do {
      let world = try JSONDecoder().decode(World.self, from: Data(bytes))
      guard world.formatVersion == World.currentFormatVersion else {
        throw Failure.unreadable(
          "\(statePath) has format version \(world.formatVersion); this simulator reads "
            + "\(World.currentFormatVersion): run init again"
        )
      }
      return world
    } catch let failure as Failure {
      throw failure
    } catch {
      throw .unreadable("\(statePath) is not a simulated world: \(error)")
    }
  }

  private func write(_ world: World) throws(Failure) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data: Data
    do {
      data = try encoder.encode(world)
    } catch {
      throw .io("cannot encode the world: \(error)")
    }
    let temporary = "\(statePath).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io("cannot create \(temporary): \(Self.lastError())") }
    var written = 0
    let total = data.count
    let failed = data.withUnsafeBytes { raw -> Bool in
      while written < total {
        let count = Glibc.write(descriptor, raw.baseAddress.map { $0 + written }, total - written)
        if count < 0 {
          if errno == EINTR { continue }
          return true
        }
        written += count
      }
      return false
    }
    let synced = fsync(descriptor) == 0
    close(descriptor)
    guard !failed, synced, rename(temporary, statePath) == 0 else {
      let message = Self.lastError()
      unlink(temporary)
      throw .io("cannot write \(statePath): \(message)")
    }
  }

  static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
