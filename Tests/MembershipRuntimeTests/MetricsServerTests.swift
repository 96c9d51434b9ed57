import Glibc
import Synchronization
import Testing

@testable import MembershipRuntime

/// The metrics server over real loopback sockets.
///
/// Every test starts its own server on 127.0.0.1 with a port the kernel picks, and the
/// client below connects only there. Time bounds are loose on purpose: this machine is
/// shared and noisy, and the point is "bounded", not "fast".
@Suite("MetricsServer")
struct MetricsServerTests {
  @Test("GET /metrics answers 200 with the exposition content type and content() as the body")
  func scrape() throws {
    let body = "# HELP m A metric.\n# TYPE m gauge\nm 1\n"
    let server = try MetricsServer.start(address: "127.0.0.1:0") { body }
    defer { server.stop() }
    #expect(server.port > 0)
    let response = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    )
    #expect(response.statusLine == "HTTP/1.1 200 OK")
    #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
    #expect(response.headers["content-length"] == String(body.utf8.count))
    #expect(response.headers["connection"] == "close")
    #expect(response.body == body)
  }

  @Test("content() is called for every scrape, so changes show at the next one")
  func contentPerRequest() throws {
    let scrapes = Mutex(0)
    let server = try MetricsServer.start(address: "127.0.0.1:0") {
      let count = scrapes.withLock { count in
        count += 1
        return count
      }
      return "scrapes \(count)\n"
    }
    defer { server.stop() }
    let first = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.1\r\n\r\n")
    )
    let second = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.0\r\n\r\n")
    )
    #expect(first.body == "scrapes 1\n")
    #expect(second.body == "scrapes 2\n")
  }

  @Test("HEAD /metrics has the GET headers and no body; GET / names /metrics")
  func headAndRoot() throws {
    let body = "m 12345\n"
    let server = try MetricsServer.start(address: "127.0.0.1:0") { body }
    defer { server.stop() }
    let head = try #require(
      LoopbackHTTPClient.exchange(server.port, "HEAD /metrics HTTP/1.1\r\n\r\n")
    )
    #expect(head.statusLine == "HTTP/1.1 200 OK")
    #expect(head.headers["content-length"] == String(body.utf8.count))
    #expect(head.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
    #expect(head.body == "")
    let root = try #require(LoopbackHTTPClient.exchange(server.port, "GET / HTTP/1.1\r\n\r\n"))
    #expect(root.statusLine == "HTTP/1.1 200 OK")
    #expect(root.body.contains("/metrics"))
    #expect(root.body != body)
    // A query string is not part of the path.
    let query = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics?debug=1 HTTP/1.1\r\n\r\n")
    )
    #expect(query.body == body)
  }

  @Test(
    "other paths are 404, other methods 405 with Allow, malformed requests 400",
    arguments: [
      ("GET /nope HTTP/1.1\r\n\r\n", "404 Not Found"),
      ("GET /metrics/ HTTP/1.1\r\n\r\n", "404 Not Found"),
      ("GET /metricsx HTTP/1.1\r\n\r\n", "404 Not Found"),
      ("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "405 Method Not Allowed"),
      ("DELETE / HTTP/1.1\r\n\r\n", "405 Method Not Allowed"),
      ("get /metrics HTTP/1.1\r\n\r\n", "405 Method Not Allowed"),
      ("garbage\r\n\r\n", "400 Bad Request"),
      ("GET /metrics\r\n\r\n", "400 Bad Request"),
      ("GET  /metrics HTTP/1.1\r\n\r\n", "400 Bad Request"),
      ("GET /metrics HTTP/1.1 extra\r\n\r\n", "400 Bad Request"),
      ("GET metrics HTTP/1.1\r\n\r\n", "400 Bad Request"),
      ("GET /metrics HTTP/2.0\r\n\r\n", "400 Bad Request"),
      ("GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n", "400 Bad Request"),
      ("GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "400 Bad Request"),
      ("GET /m\u{E9}trics HTTP/1.1\r\n\r\n", "400 Bad Request"),
      ("G(T /metrics HTTP/1.1\r\n\r\n", "400 Bad Request"),
    ]
  )
  func refusals(request: String, status: String) throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "m 1\n" }
    defer { server.stop() }
    let response = try #require(LoopbackHTTPClient.exchange(server.port, request))
    #expect(response.statusLine == "HTTP/1.1 " + status)
    #expect(response.headers["connection"] == "close")
    #expect(response.headers["content-length"] == String(response.body.utf8.count))
    #expect(!response.body.contains("m 1"))
    #expect((response.headers["allow"] == "GET, HEAD") == status.hasPrefix("405"))
  }

  @Test("bytes that are not UTF-8 are a bad request")
  func notUTF8() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "m 1\n" }
    defer { server.stop() }
    let request = Array("GET /".utf8) + [0xFF, 0xFE] + Array(" HTTP/1.1\r\n\r\n".utf8)
    let response = try #require(LoopbackHTTPClient.exchange(server.port, request))
    #expect(response.statusLine == "HTTP/1.1 400 Bad Request")
  }

  @Test("a request head over 8 KiB is refused, and the next scrape is served")
  func oversizeRequest() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "m 1\n" }
    defer { server.stop() }
    let huge = "GET /metrics HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 9000)
    let response = try #require(LoopbackHTTPClient.exchange(server.port, huge + "\r\n\r\n"))
    #expect(response.statusLine == "HTTP/1.1 431 Request Header Fields Too Large")
    let next = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.1\r\n\r\n")
    )
    #expect(next.body == "m 1\n")
  }

  @Test("a client that connects and sends nothing holds up the next one no longer than the timeout")
  func silentClient() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "m 1\n" }
    defer { server.stop() }
    let silent = try #require(LoopbackHTTPClient.connect(server.port))
    defer { close(silent) }
    // Give the server time to accept the silent client first.
    usleep(200_000)
    let clock = ContinuousClock()
    let start = clock.now
    let response = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.1\r\n\r\n")
    )
    #expect(response.body == "m 1\n")
    #expect(clock.now - start < .seconds(30), "the default timeout is 5 s")
    // The silent client was hung up on, without an answer.
    #expect(LoopbackHTTPClient.readAll(silent).isEmpty)
  }

  @Test("a client that sends part of a request and stops gets 408 once the timeout passes")
  func partialRequest() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0", timeout: .milliseconds(300)) {
      "m 1\n"
    }
    defer { server.stop() }
    let client = try #require(LoopbackHTTPClient.connect(server.port))
    defer { close(client) }
    #expect(LoopbackHTTPClient.sendAll(client, Array("GET /metr".utf8)))
    let response = try #require(LoopbackHTTPClient.Response(LoopbackHTTPClient.readAll(client)))
    #expect(response.statusLine == "HTTP/1.1 408 Request Timeout")
  }

  @Test("stop() ends the server promptly even mid-connection; then connections are refused")
  func stopThenRefused() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "m 1\n" }
    let port = server.port
    #expect(
      try #require(LoopbackHTTPClient.exchange(port, "GET /metrics HTTP/1.1\r\n\r\n")).body
        == "m 1\n"
    )
    let silent = try #require(LoopbackHTTPClient.connect(port))
    defer { close(silent) }
    usleep(200_000)
    let clock = ContinuousClock()
    let start = clock.now
    server.stop()
    #expect(clock.now - start < .seconds(4), "stop waits for no timeout")
    server.stop()
    guard case .failure(let failure) = LoopbackHTTPClient.connection(to: port) else {
      Issue.record("connected to a stopped server")
      return
    }
    #expect(failure.number == ECONNREFUSED)
  }

  @Test("the listener and the wake socket are close-on-exec")
  func closeOnExec() throws {
    let server = try MetricsServer.start(address: "127.0.0.1:0") { "" }
    defer { server.stop() }
    #expect(fcntl(server.listener, F_GETFD) & FD_CLOEXEC != 0)
    #expect(fcntl(server.wakeReader, F_GETFD) & FD_CLOEXEC != 0)
  }

  @Test("a port in use is refused in words; localhost is 127.0.0.1")
  func portInUse() throws {
    let first = try MetricsServer.start(address: "localhost:0") { "m 1\n" }
    defer { first.stop() }
    #expect(
      try #require(LoopbackHTTPClient.exchange(first.port, "GET /metrics HTTP/1.1\r\n\r\n")).body
        == "m 1\n"
    )
    let address = "127.0.0.1:\(first.port)"
    let error = #expect(throws: MetricsServer.Failure.self) {
      try MetricsServer.start(address: address) { "" }
    }
    #expect(error?.description == "cannot listen on \(address): Address already in use")
  }

  @Test(
    "addresses that are not a numeric IPv4 or [IPv6] address or localhost with a port",
    arguments: [
      "", "9100", ":9100", "127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536",
      "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1: 80", "127.0.0.1:123456", "127.0.0:9100",
      "127.0.0.01:9100", "256.0.0.1:9100", "example.com:9100", "::1:9100", "[::1]9100",
      "[::1]:", "[]:9100", "[fe80::1%eth0]:9100", "[127.0.0.1]:9100", "localhost", "line\nbreak:1",
    ]
  )
  func badAddress(address: String) {
    let shown = address.replacing("\n", with: "\\u{a}")
    let error = #expect(throws: MetricsServer.Failure.self) {
      try MetricsServer.start(address: address) { "" }
    }
    #expect(
      error?.description
        == "--metrics-address must be HOST:PORT with a numeric IPv4 or [IPv6] address or "
        + "localhost, got '\(shown)'"
    )
  }

  @Test("IPv4, bracketed IPv6 and localhost parse to the address and port")
  func goodAddresses() throws {
    let loopback = try #require(MetricsListenAddress(parsing: "127.0.0.1:9100"))
    #expect(loopback.host == .ipv4(UInt32(0x7F00_0001).bigEndian) && loopback.port == 9100)
    #expect(
      MetricsListenAddress(parsing: "LocalHost:0") == MetricsListenAddress(parsing: "127.0.0.1:0")
    )
    let any = try #require(MetricsListenAddress(parsing: "0.0.0.0:65535"))
    #expect(any.host == .ipv4(0) && any.port == 65535)
    let six = try #require(MetricsListenAddress(parsing: "[::1]:9100"))
    #expect(six.host == .ipv6(Array(repeating: 0, count: 15) + [1]) && six.port == 9100)
    let mapped = try #require(MetricsListenAddress(parsing: "[2001:db8::ff]:80"))
    #expect(
      mapped.host == .ipv6([0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [0xFF])
    )
  }

  @Test("a body of a few megabytes arrives whole")
  func largeBody() throws {
    let body = String(repeating: "mktopo_reconcile_padding 1\n", count: 100_000)
    let server = try MetricsServer.start(address: "127.0.0.1:0") { body }
    defer { server.stop() }
    let response = try #require(
      LoopbackHTTPClient.exchange(server.port, "GET /metrics HTTP/1.1\r\n\r\n")
    )
    #expect(response.headers["content-length"] == String(body.utf8.count))
    #expect(response.body == body)
  }

  @Test("a client that hangs up before its answer costs no signal, and the next is served")
  func hangUp() throws {
    let body = String(repeating: "x", count: 4_000_000)
    let server = try MetricsServer.start(address: "127.0.0.1:0") { body }
    defer { server.stop() }
    for attempt in 0..<4 {
      let client = try #require(LoopbackHTTPClient.connect(server.port))
      #expect(LoopbackHTTPClient.sendAll(client, Array("GET /metrics HTTP/1.1\r\n\r\n".utf8)))
      // A polite close (the server's send then fails with EPIPE) and a reset, in turn.
      if attempt % 2 == 1 {
        var reset = linger(l_onoff: 1, l_linger: 0)
        setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
      }
      close(client)
    }
    let response = try #require(
      LoopbackHTTPClient.exchange(server.port, "HEAD /metrics HTTP/1.1\r\n\r\n")
    )
    #expect(response.statusLine == "HTTP/1.1 200 OK")
  }

  @Test("a bracketed IPv6 address is bound", .enabled(if: ipv6LoopbackWorks()))
  func ipv6() throws {
    // Only bound, never connected to: the tests connect to 127.0.0.0/8 alone.
    let server = try MetricsServer.start(address: "[::1]:0") { "" }
    defer { server.stop() }
    #expect(server.port > 0)
    #expect(MetricsListenAddress.boundPort(of: server.listener) == server.port)
  }
}

/// Whether this machine has an IPv6 loopback to bind; containers often do not.
private func ipv6LoopbackWorks() -> Bool {
  guard case .success(let descriptor) = MetricsListenAddress(parsing: "[::1]:0")?.listen() else {
    return false
  }
  close(descriptor)
  return true
}
