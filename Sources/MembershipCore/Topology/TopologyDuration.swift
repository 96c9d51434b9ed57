/// Durations as the topology file writes them: `90s`, `5m`, `1h30m`.
public enum TopologyDuration {
  /// Longer than any MicroK8s step should ever be allowed to take.
  static let maximum: Duration = .seconds(7 * 24 * 3600)

  public enum Problem: Error {
    case malformed
    case zero
    case tooLong
  }

  /// Parses one or more `<digits><s|m|h>` groups.
  public static func parse(_ text: String) -> Result<Duration, Problem> {
    var seconds = 0
    var digits = 0
    var sawDigit = false
    var groups = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        // Saturate rather than overflow: anything this large is refused below.
        digits = min(digits * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000_000)
        sawDigit = true
      case UInt8(ascii: "s"), UInt8(ascii: "m"), UInt8(ascii: "h"):
        guard sawDigit else { return .failure(.malformed) }
        let unit = byte == UInt8(ascii: "s") ? 1 : byte == UInt8(ascii: "m") ? 60 : 3600
        seconds = min(seconds + digits * unit, Int(Int32.max))
        digits = 0
        sawDigit = false
        groups += 1
      default:
        return .failure(.malformed)
      }
    }
    guard groups > 0, !sawDigit else { return .failure(.malformed) }
    guard seconds > 0 else { return .failure(.zero) }
    let duration = Duration.seconds(seconds)
    guard duration <= maximum else { return .failure(.tooLong) }
    return .success(duration)
  }

  /// The shortest text that parses back to the same duration.
  static func format(_ duration: Duration) -> String {
    var seconds = Int(duration.components.seconds)
    var text = ""
    if seconds >= 3600 {
      text += "\(seconds / 3600)h"
      seconds %= 3600
    }
    if seconds >= 60 {
      text += "\(seconds / 60)m"
      seconds %= 60
    }
    if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
    return text
  }
}
