import Glibc

/// Wall-clock times as RFC 3339 in UTC (`2026-11-25T08:41:07Z`), for the lock holder
/// and the journal: a reader on another host in another time zone reads the same time.
public enum UTCTimestamp {
  /// The current time, to the second.
  public static func now() -> String {
    format(secondsSinceEpoch: time(nil))
  }

  /// The current time in seconds since the epoch, with the fraction (`clock_gettime`).
  public static func secondsSinceEpoch() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
  }

  static func format(secondsSinceEpoch seconds: time_t) -> String {
    var seconds = seconds
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01T00:00:00Z" }
    func padded(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return padded(parts.tm_year + 1900, 4) + "-" + padded(parts.tm_mon + 1, 2) + "-"
      + padded(parts.tm_mday, 2) + "T" + padded(parts.tm_hour, 2) + ":"
      + padded(parts.tm_min, 2) + ":" + padded(parts.tm_sec, 2) + "Z"
  }
}
