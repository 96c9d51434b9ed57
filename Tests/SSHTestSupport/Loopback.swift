import Glibc

/// TCP on loopback addresses: finding a free port and waiting for a listener.
///
/// Only 127.0.0.0/8 is ever touched: every address passes through `socketAddress`,
/// which refuses anything else.
enum Loopback {
  /// A port nothing listens on at `address` right now, chosen by the kernel.
  static func freePort(on address: String) -> Int? {
    guard var socketAddress = socketAddress(address, port: 0) else { return nil }
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { return nil }
    var assigned = sockaddr_in()
    var assignedLength = length
    let named = withUnsafeMutablePointer(to: &assigned) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &assignedLength)
      }
    }
    guard named == 0 else { return nil }
    return Int(UInt16(bigEndian: assigned.sin_port))
  }

  /// Whether something accepts TCP connections at `address:port`.
  static func accepts(_ address: String, port: Int) -> Bool {
    guard var socketAddress = socketAddress(address, port: port) else { return false }
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
    } == 0
  }

  /// A `sockaddr_in` for a 127.x.y.z address; nil for any other.
  static func socketAddress(_ address: String, port: Int) -> sockaddr_in? {
    var result = sockaddr_in()
    result.sin_family = sa_family_t(AF_INET)
    result.sin_port = UInt16(port).bigEndian
    guard inet_pton(AF_INET, address, &result.sin_addr) == 1,
      UInt32(bigEndian: result.sin_addr.s_addr) >> 24 == 127
    else { return nil }
    return result
  }
}
