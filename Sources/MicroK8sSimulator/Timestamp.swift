/// RFC 3339 times in UTC, as the Kubernetes API writes them (`2024-05-01T10:00:00Z`).
enum Timestamp {
  static func rfc3339(_ seconds: Double) -> String {
    let total = Int(seconds.rounded(.down))
    let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
    let secondOfDay = total - days * 86_400
    let (year, month, day) = civil(fromDays: days)
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
      + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
  }

  /// With microseconds, as a Lease's `renewTime` is written (`2024-05-01T10:00:00.250000Z`).
  static func rfc3339Micro(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let micros = min(999_999, Int(((seconds - whole) * 1_000_000).rounded()))
    let text = String(micros)
    let fraction = String(repeating: "0", count: 6 - text.count) + text
    return String(rfc3339(whole).dropLast()) + "." + fraction + "Z"
  }

  /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
  private static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// kubectl's AGE column (`45s`, `3m12s`, `25m`, `5h`, `3d`).
  static func age(_ seconds: Double) -> String {
    let total = max(0, Int(seconds))
    switch total {
    case ..<120: return "\(total)s"
    case ..<600: return "\(total / 60)m\(total % 60)s"
    case ..<10_800: return "\(total / 60)m"
    case ..<28_800: return "\(total / 3600)h\(total / 60 % 60)m"
    case ..<172_800: return "\(total / 3600)h"
    default: return "\(total / 86_400)d"
    }
  }
}
