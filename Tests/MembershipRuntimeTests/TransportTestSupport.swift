import Glibc
import MembershipCore
import SSHTestSupport
import Testing

@testable import MembershipRuntime

/// A seeded generator, so a failing property case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A token shaped like the ones `add-node --token` takes: 32 lowercase hex digits.
let sampleToken = "0123456789abcdef0123456789abcdef"

/// A node of a topology, with only what transports read.
func node(
  _ name: String = "node1",
  address: String? = "127.0.0.11",
  connection: Connection = Connection(type: .local),
  microk8s: [String] = NodeSpec.defaultMicroK8s
) -> NodeSpec {
  NodeSpec(
    name: name,
    address: address.flatMap(NodeAddress.parse),
    version: Track(major: 1, minor: 28),
    connection: connection,
    microk8s: microk8s
  )
}

/// Runs `invocation` and returns its error, recording an issue if it succeeds.
func expectFailure(
  _ transport: some Transport,
  _ invocation: Invocation,
  sourceLocation: SourceLocation = #_sourceLocation
) async -> TransportError? {
  do {
    let result = try await transport.run(invocation)
    Issue.record("expected an error, got \(result)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// A private scratch directory under /tmp, removed after `body`.
func withScratchDirectory<Result>(
  _ body: (String) async throws -> Result
) async throws -> Result {
  var template = Array("/tmp/mktopo-transport-XXXXXX".utf8CString)
  let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
    guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
    return String(cString: base)
  }
  let directory = try #require(path)
  defer { _ = try? removeTree(directory) }
  return try await body(directory)
}

/// `rm -rf` through the transport under test's own machinery would hide its bugs, so
/// this walks the tree itself.
private func removeTree(_ path: String) throws {
  var info = stat()
  guard lstat(path, &info) == 0 else { return }
  if info.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != ".", name != ".." { names.append(name) }
    }
    closedir(directory)
    for name in names { try removeTree(path + "/" + name) }
    rmdir(path)
  } else {
    unlink(path)
  }
}

/// The contents of a small file, or nil.
func readFile(_ path: String) -> String? {
  let descriptor = open(path, O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else { return nil }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 65536)
  while true {
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    if count <= 0 { break }
    bytes += buffer[0..<count]
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// Polls until `pid` is no longer a live process (gone or a zombie), for up to `limit`.
func waitUntilNotRunning(_ pid: pid_t, limit: Duration = .seconds(5)) async -> Bool {
  let clock = ContinuousClock()
  let deadline = clock.now + limit
  while clock.now < deadline {
    if !ProcessTable.isRunning(pid) { return true }
    try? await Task.sleep(for: .milliseconds(20))
  }
  return !ProcessTable.isRunning(pid)
}

/// The names in a directory.
func directoryEntries(_ path: String) throws -> [String] {
  guard let directory = opendir(path) else { throw TestFailure(description: "cannot open \(path)") }
  defer { closedir(directory) }
  var names: [String] = []
  while let entry = readdir(directory) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    if name != ".", name != ".." { names.append(name) }
  }
  return names
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
}
