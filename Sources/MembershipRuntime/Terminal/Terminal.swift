import Glibc
import Synchronization

/// Facts about where output goes, and writing to it.
public enum Terminal {
  public enum Stream {
    case standardOutput
    case standardError

    var descriptor: Int32 { self == .standardOutput ? 1 : 2 }
  }

  /// Colour only on a TTY, never when NO_COLOR is set (https://no-color.org) or the
  /// terminal is dumb.
  public static func wantsColor(_ stream: Stream) -> Bool {
    if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return isatty(stream.descriptor) == 1
  }

  public static func isInteractive(_ stream: Stream) -> Bool { isatty(stream.descriptor) == 1 }

  /// The columns of the terminal on standard output; nil when it is not one.
  public static var width: Int? {
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  /// Standard input is a terminal: someone can answer a question.
  public static var inputIsInteractive: Bool { isatty(0) == 1 }

  /// Writes text unbuffered, so stdout and stderr interleave in the order written.
  ///
  /// A stream whose reader went away (EPIPE) is written to no more, and the run is
  /// asked to stop as SIGPIPE would stop it, but after the step in flight
  /// (`StopSignal`).
  public static func write(_ text: String, to stream: Stream) {
    guard !isClosed(stream) else { return }
    var text = text
    text.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(stream.descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          if errno == EPIPE {
            closedStreams.bitwiseOr(stream.bit, ordering: .acquiringAndReleasing)
            StopSignal.requestStop(SIGPIPE)
          }
          return
        }
        offset += written
      }
    }
  }

  /// Whether a write to `stream` found its reader gone.
  public static func isClosed(_ stream: Stream) -> Bool {
    closedStreams.load(ordering: .acquiring) & stream.bit != 0
  }
}

extension Terminal.Stream {
  fileprivate var bit: Int { self == .standardOutput ? 1 : 2 }
}

/// The streams a write found closed, as `Stream.bit`s.
private let closedStreams = Atomic<Int>(0)
