import Glibc

/// The metrics server's thread: accepts one connection at a time, answers its one
/// request and closes it, until the wake socket becomes readable.
///
/// Every wait is a `poll` on the socket and the wake socket together, so `stop()` ends a
/// wait at once, and every wait has a deadline, so a client that sends nothing, trickles
/// bytes or never reads its answer holds the thread for a bounded time only.
final class ScrapeLoop: Sendable {
  /// The request head must fit in this many bytes; a scrape's head is a few hundred.
  static let requestLimit = 8192
  /// Unread input drained after answering, at most, so that closing does not reset the
  /// connection (a reset can destroy the answer before the client reads it).
  static let drainLimit = 65536

  let listener: Int32
  let wake: Int32
  /// For reading a request, and again for sending the answer.
  let timeout: Duration
  let content: @Sendable () -> String

  init(listener: Int32, wake: Int32, timeout: Duration, content: @escaping @Sendable () -> String) {
    self.listener = listener
    self.wake = wake
    self.timeout = timeout
    self.content = content
  }

  func run() {
    while true {
      switch wait(for: listener, events: POLLIN, until: nil) {
      case .stopping: return
      case .timedOut:
        // Only a failing poll (out of memory, say) ends an endless wait.
        if !pause() { return }
        continue
      case .ready: break
      }
      let connection = Self.accept(listener)
      guard connection >= 0 else {
        // Out of descriptors or memory, the connection stays queued and poll would report
        // it again at once; a pause keeps the thread from spinning.
        if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
          if !pause() { return }
        }
        continue
      }
      serve(connection)
      close(connection)
    }
  }

  /// A connection from the listener's queue, close-on-exec like every descriptor here.
  private static func accept(_ listener: Int32) -> Int32 {
    if let acceptWithFlags {
      return acceptWithFlags(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
    }
    let connection = Glibc.accept(listener, nil, nil)
    if connection >= 0 { _ = fcntl(connection, F_SETFD, FD_CLOEXEC) }
    return connection
  }

  /// A tenth of a second's pause; false when the server is stopping.
  private func pause() -> Bool {
    let end = ContinuousClock.now + .milliseconds(100)
    if case .stopping = wait(for: wake, events: POLLIN, until: end) { return false }
    return true
  }

  private func serve(_ connection: Int32) {
    // A backstop for the polls below: no single recv or send can block past the timeout.
    setTimeout(SO_RCVTIMEO, on: connection)
    setTimeout(SO_SNDTIMEO, on: connection)
    guard let response = readRequest(from: connection) else { return }
    guard send(response.bytes, to: connection) else { return }
    drain(connection)
  }

  /// The answer to the request read from `connection`; nil when there is nothing to say
  /// (the client sent nothing, or the server is stopping).
  private func readRequest(from connection: Int32) -> ScrapeResponse? {
    let deadline = ContinuousClock.now + timeout
    var request: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      switch wait(for: connection, events: POLLIN, until: deadline) {
      case .stopping: return nil
      case .timedOut: return request.isEmpty ? nil : Self.timedOut
      case .ready: break
      }
      let wanted = min(buffer.count, Self.requestLimit - request.count)
      let count = buffer.withUnsafeMutableBytes { raw in
        recv(connection, raw.baseAddress, wanted, 0)
      }
      if count < 0 {
        if errno == EINTR { continue }
        if errno == EAGAIN || errno == EWOULDBLOCK { return request.isEmpty ? nil : Self.timedOut }
        return nil
      }
      if count == 0 {
        guard !request.isEmpty else { return nil }
        return .failure(400, "Bad Request", "the request ended before its blank line")
      }
      request += buffer[0..<count]
      if let end = ScrapeResponse.headEnd(in: request) {
        return .answering(request[..<end], content: content)
      }
      if request.count >= Self.requestLimit {
        return .failure(
          431,
          "Request Header Fields Too Large",
          "the request head is longer than \(Self.requestLimit) bytes"
        )
      }
    }
  }

  private static let timedOut = ScrapeResponse.failure(
    408,
    "Request Timeout",
    "the request did not arrive in time"
  )

  /// Sends all of `bytes`; false when the client went away, stopped reading, or the
  /// server is stopping.
  private func send(_ bytes: [UInt8], to connection: Int32) -> Bool {
    let deadline = ContinuousClock.now + timeout
    var offset = 0
    while offset < bytes.count {
      guard case .ready = wait(for: connection, events: POLLOUT, until: deadline) else {
        return false
      }
      // MSG_NOSIGNAL: a client that hung up must cost an EPIPE here, not a SIGPIPE that
      // ends the daemon.
      let sent = bytes.withUnsafeBytes { raw in
        Glibc.send(
          connection,
          raw.baseAddress.map { $0 + offset },
          bytes.count - offset,
          Int32(MSG_NOSIGNAL)
        )
      }
      if sent < 0 {
        if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
        return false
      }
      offset += sent
    }
    return true
  }

  /// Half-closes, then reads what the client still sends until it closes too, for a
  /// second at most.
  private func drain(_ connection: Int32) {
    _ = shutdown(connection, Int32(SHUT_WR))
    let deadline = ContinuousClock.now + min(timeout, .seconds(1))
    var buffer = [UInt8](repeating: 0, count: 4096)
    var drained = 0
    while drained < Self.drainLimit {
      guard case .ready = wait(for: connection, events: POLLIN, until: deadline) else { return }
      let count = buffer.withUnsafeMutableBytes { raw in
        recv(connection, raw.baseAddress, raw.count, 0)
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return }
      drained += count
    }
  }

  private enum Readiness {
    case ready
    case timedOut
    case stopping
  }

  /// Waits until `descriptor` has `events`, the wake socket is readable, or the deadline
  /// (nil: none) passes.
  private func wait(
    for descriptor: Int32,
    events: Int32,
    until deadline: ContinuousClock.Instant?
  ) -> Readiness {
    while true {
      var milliseconds: Int32 = -1
      if let deadline {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return .timedOut }
        milliseconds = Self.milliseconds(remaining)
      }
      var descriptors = [
        pollfd(fd: descriptor, events: Int16(events), revents: 0),
        pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        return .timedOut
      }
      if descriptors[1].revents != 0 { return .stopping }
      // POLLHUP and POLLERR count as ready: the recv or send that follows reports them.
      if descriptors[0].revents != 0 { return .ready }
    }
  }

  /// Rounded up, so a wait never ends just before its deadline and spins.
  private static func milliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(clamping: total)
  }

  private func setTimeout(_ option: Int32, on connection: Int32) {
    let milliseconds = Int(Self.milliseconds(timeout))
    var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
    _ = setsockopt(connection, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
  }
}

private typealias AcceptWithFlags =
  @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32)
  -> Int32

/// `accept4`, looked up at run time because Swift's Glibc module leaves out the GNU
/// extensions; `accept` and then `fcntl` would leave a moment in which a child forked
/// on another thread inherits the connection.
private let acceptWithFlags: AcceptWithFlags? = {
  guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "accept4") else { return nil }
  return unsafeBitCast(symbol, to: AcceptWithFlags.self)
}()
