import Glibc

/// Where the metrics server listens: a numeric IPv4 or IPv6 address and a port.
///
/// Host names other than `localhost` are refused rather than resolved: a name that
/// resolves to several addresses, or differently tomorrow, makes "which interface is
/// the scrape endpoint on" a guess, and a daemon should not need DNS to start.
struct MetricsListenAddress: Equatable {
  enum Host: Equatable {
    /// The address in network byte order, as `in_addr` holds it.
    case ipv4(UInt32)
    /// The sixteen bytes of the address, as `in6_addr` holds them.
    case ipv6([UInt8])
  }

  var host: Host
  var port: UInt16

  /// `A.B.C.D:PORT`, `[IPv6]:PORT` or `localhost:PORT` (127.0.0.1); nil for anything else.
  init?(parsing text: String) {
    guard let colon = text.lastIndex(of: ":") else { return nil }
    let hostText = text[..<colon]
    let portText = text[text.index(after: colon)...]
    guard !portText.isEmpty, portText.count <= 5,
      portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      let port = UInt16(portText)
    else { return nil }
    self.port = port
    if hostText.lowercased() == "localhost" {
      self.host = .ipv4(UInt32(127 << 24 | 1).bigEndian)
    } else if hostText.hasPrefix("["), hostText.hasSuffix("]"), hostText.count > 2 {
      var address = in6_addr()
      guard inet_pton(AF_INET6, String(hostText.dropFirst().dropLast()), &address) == 1 else {
        return nil
      }
      self.host = .ipv6(withUnsafeBytes(of: address) { Array($0) })
    } else {
      // glibc's inet_pton takes only four decimal parts, without leading zeros.
      var address = in_addr()
      guard inet_pton(AF_INET, String(hostText), &address) == 1 else { return nil }
      self.host = .ipv4(address.s_addr)
    }
  }

  /// A new listening socket bound here, close-on-exec and non-blocking; the errno of the
  /// call that failed otherwise.
  func listen() -> Result<Int32, SocketError> {
    let family = isIPv6 ? AF_INET6 : AF_INET
    // Close-on-exec from the start: a child (ssh, git) must never hold the port open.
    // Non-blocking, because a connection can vanish between poll and accept, and a
    // blocked accept could not be woken to stop.
    let type = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
    let descriptor = socket(family, type, 0)
    guard descriptor >= 0 else { return .failure(SocketError()) }
    // A restarted daemon must not wait out TIME_WAIT from its last scrape to bind again.
    var on: Int32 = 1
    let bound =
      setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
      == 0 && bind(to: descriptor) == 0 && Glibc.listen(descriptor, 16) == 0
    guard bound else {
      let error = SocketError()
      close(descriptor)
      return .failure(error)
    }
    return .success(descriptor)
  }

  private var isIPv6: Bool {
    if case .ipv6 = host { return true }
    return false
  }

  private func bind(to descriptor: Int32) -> Int32 {
    switch host {
    case .ipv4(let bits):
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = port.bigEndian
      address.sin_addr.s_addr = bits
      return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
          Glibc.bind(descriptor, generic, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    case .ipv6(let bytes):
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = port.bigEndian
      withUnsafeMutableBytes(of: &address.sin6_addr) { raw in raw.copyBytes(from: bytes) }
      return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
          Glibc.bind(descriptor, generic, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    }
  }

  /// The port a listening socket is bound to: the kernel's choice when asked for 0.
  static func boundPort(of descriptor: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let found = withUnsafeMutablePointer(to: &storage) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        getsockname(descriptor, generic, &length)
      }
    }
    guard found == 0 else { return nil }
    return withUnsafeBytes(of: storage) { raw -> Int? in
      switch Int32(storage.ss_family) {
      case AF_INET: Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
      case AF_INET6: Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
      default: nil
      }
    }
  }
}

/// An errno, captured at once and described by `strerror` ("Address already in use").
struct SocketError: Error {
  var number: Int32

  init(_ number: Int32 = errno) {
    self.number = number
  }

  var description: String { String(cString: strerror(number)) }
}
