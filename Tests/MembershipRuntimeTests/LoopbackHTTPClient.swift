import Glibc

/// A raw-socket HTTP/1.1 client for the metrics server's tests.
///
/// It connects to 127.0.0.1 and nowhere else, sends bytes as given (malformed ones
/// included) and reads until the server closes.
enum LoopbackHTTPClient {
  /// Why a connection to the loopback server failed: the errno of `socket` or `connect`.
  struct Failure: Error {
    var number: Int32
  }

  /// A TCP connection to 127.0.0.1:`port`, with a 30 s timeout for each receive and send
  /// so that a broken server fails the test instead of hanging it.
  static func connection(to port: Int) -> Result<Int32, Failure> {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { return .failure(Failure(number: errno)) }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // only ever 127.0.0.1
    let connected = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        Glibc.connect(descriptor, generic, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      let failure = Failure(number: errno)
      close(descriptor)
      return .failure(failure)
    }
    return .success(descriptor)
  }

  static func connect(_ port: Int) -> Int32? {
    try? connection(to: port).get()
  }

  static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes { raw in
        send(
          descriptor,
          raw.baseAddress.map { $0 + offset },
          bytes.count - offset,
          Int32(MSG_NOSIGNAL)
        )
      }
      if sent < 0, errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  /// Everything until the server closes (or an error or the receive timeout).
  static func readAll(_ descriptor: Int32) -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { raw in
        recv(descriptor, raw.baseAddress, raw.count, 0)
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return received }
      received += buffer[0..<count]
    }
  }

  /// Sends `request` to 127.0.0.1:`port` and reads the response to the end.
  static func exchange(_ port: Int, _ request: [UInt8]) -> Response? {
    guard let descriptor = connect(port) else { return nil }
    defer { close(descriptor) }
    guard sendAll(descriptor, request) else { return nil }
    return Response(readAll(descriptor))
  }

  static func exchange(_ port: Int, _ request: String) -> Response? {
    exchange(port, Array(request.utf8))
  }
}

extension LoopbackHTTPClient {
  /// A response as the client read it; header names lowercased.
  struct Response {
    var statusLine: String
    var headers: [String: String]
    var body: String

    init?(_ bytes: [UInt8]) {
      let text = String(decoding: bytes, as: UTF8.self)
      guard let split = text.firstRange(of: "\r\n\r\n") else { return nil }
      let lines = text[..<split.lowerBound].split(
        separator: "\r\n",
        omittingEmptySubsequences: false
      )
      guard let first = lines.first else { return nil }
      statusLine = String(first)
      headers = [:]
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let value = line[line.index(after: colon)...].drop { $0 == " " }
        headers[line[..<colon].lowercased()] = String(value)
      }
      body = String(text[split.upperBound...])
    }
  }
}
