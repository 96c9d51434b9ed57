import Glibc
import Synchronization

/// A minimal HTTP/1.1 server for Prometheus scrapes of `GET /metrics`.
///
/// It serves from a thread of its own, not from Swift concurrency's cooperative pool,
/// whose few threads a blocking `accept` or `recv` would take from the reconciler. One
/// connection is served at a time, each with a deadline and a size cap, which is plenty
/// for a scraper every few seconds and leaves a hostile client nothing to hold for long.
///
/// The server runs until `stop()`, or until the value goes away: keep it for as long as
/// the metrics should be served.
public final class MetricsServer: Sendable {
  /// Why the server did not start, in words for the operator.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String

    static func badAddress(_ text: String) -> Failure {
      Failure(
        description: "--metrics-address must be HOST:PORT with a numeric IPv4 or [IPv6] address "
          + "or localhost, got '\(printable(text))'"
      )
    }
  }

  /// How long a client has to send its request, and again to take the answer.
  static let defaultTimeout = Duration.seconds(5)

  /// The port the server listens on; the kernel's choice when the address asked for 0.
  public let port: Int
  /// The listening socket and the wake socket pair, closed by `stop()` once the thread has ended.
  let listener: Int32
  let wakeReader: Int32
  private let wakeWriter: Int32
  private let thread: pthread_t
  private let stopped = Mutex(false)

  private init(port: Int, listener: Int32, wakeReader: Int32, wakeWriter: Int32, thread: pthread_t)
  {
    self.port = port
    self.listener = listener
    self.wakeReader = wakeReader
    self.wakeWriter = wakeWriter
    self.thread = thread
  }

  /// Listens on `address` (`A.B.C.D:PORT`, `[IPv6]:PORT` or `localhost:PORT`) and serves
  /// `content()`, called afresh for every scrape, on its own thread.
  public static func start(
    address: String,
    content: @escaping @Sendable () -> String
  ) throws(MetricsServer.Failure) -> MetricsServer {
    try start(address: address, timeout: defaultTimeout, content: content)
  }

  /// `start(address:content:)` with another request timeout, for tests.
  static func start(
    address: String,
    timeout: Duration,
    content: @escaping @Sendable () -> String
  ) throws(MetricsServer.Failure) -> MetricsServer {
    guard let parsed = MetricsListenAddress(parsing: address) else { throw .badAddress(address) }
    let listener: Int32
    switch parsed.listen() {
    case .success(let descriptor): listener = descriptor
    case .failure(let error):
      throw Failure(description: "cannot listen on \(address): \(error.description)")
    }
    guard let port = MetricsListenAddress.boundPort(of: listener) else {
      let reason = SocketError().description
      close(listener)
      throw Failure(description: "cannot listen on \(address): \(reason)")
    }
    // A socket pair rather than a pipe: `pipe2`, which sets close-on-exec atomically, is
    // a GNU extension Swift's Glibc module leaves out, while `socketpair` takes the flag.
    var wakeEnds: [Int32] = [-1, -1]
    let type = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
    guard socketpair(AF_UNIX, type, 0, &wakeEnds) == 0 else {
      let reason = SocketError().description
      close(listener)
      throw Failure(description: "cannot start the metrics server: \(reason)")
    }
    let loop = ScrapeLoop(listener: listener, wake: wakeEnds[0], timeout: timeout, content: content)
    guard let thread = spawn(loop) else {
      close(listener)
      close(wakeEnds[0])
      close(wakeEnds[1])
      throw Failure(description: "cannot start the metrics server: no thread could be created")
    }
    return MetricsServer(
      port: port,
      listener: listener,
      wakeReader: wakeEnds[0],
      wakeWriter: wakeEnds[1],
      thread: thread
    )
  }

  /// Stops serving: ends the thread (a connection in progress is dropped) and closes the
  /// listening socket, so new connections are refused.
  ///
  /// Returns once the thread has ended; calling it again does nothing.
  public func stop() {
    stopped.withLock { stopped in
      guard !stopped else { return }
      stopped = true
      var byte: UInt8 = 1
      _ = write(wakeWriter, &byte, 1)
      // Joined before closing, so the thread never polls a closed (or reused) descriptor.
      _ = pthread_join(thread, nil)
      close(listener)
      close(wakeReader)
      close(wakeWriter)
    }
  }

  deinit {
    stop()
  }

  /// Runs `loop` on a new thread with every signal blocked; nil when none could be made.
  ///
  /// Signals blocked, because SIGINT and SIGTERM belong to the main thread, where
  /// `StopSignal` expects them; a thread inherits its creator's mask, so the mask is
  /// set around the creation rather than by the thread, which would leave a window.
  private static func spawn(_ loop: ScrapeLoop) -> pthread_t? {
    var all = sigset_t()
    var previous = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_SETMASK, &all, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let context = Unmanaged.passRetained(loop).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(
      &thread,
      nil,
      { context in
        guard let context else { return nil }
        Unmanaged<ScrapeLoop>.fromOpaque(context).takeRetainedValue().run()
        return nil
      },
      context
    )
    guard created == 0 else {
      Unmanaged<ScrapeLoop>.fromOpaque(context).release()
      return nil
    }
    return thread
  }
}

/// The operator's text with control characters escaped, so a message stays on one line.
private func printable(_ text: String) -> String {
  var shown = ""
  for scalar in text.unicodeScalars.prefix(200) {
    if scalar.properties.generalCategory == .control {
      shown += "\\u{" + String(scalar.value, radix: 16) + "}"
    } else {
      shown.unicodeScalars.append(scalar)
    }
  }
  return shown
}
