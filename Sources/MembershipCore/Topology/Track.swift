/// A MicroK8s snap track and optional risk level: `1.28`, `1.28/stable`, `1.30-strict/edge`.
public struct Track: Sendable, Hashable, CustomStringConvertible {
  public enum Risk: String, Sendable, Hashable, CaseIterable {
    case stable
    case candidate
    case beta
    case edge
  }

  public var major: Int
  public var minor: Int
  /// The strictly confined flavour of a track (`1.30-strict`).
  public var strict: Bool
  public var risk: Risk?

  public init(major: Int, minor: Int, strict: Bool = false, risk: Risk? = nil) {
    self.major = major
    self.minor = minor
    self.strict = strict
    self.risk = risk
  }

  /// `1.28` or `1.28-strict`: the snap track without the risk.
  public var track: String { "\(major).\(minor)" + (strict ? "-strict" : "") }

  /// The snap channel, as `snap install --channel` takes it.
  public var channel: String { track + "/" + (risk ?? .stable).rawValue }

  public var description: String { track + (risk.map { "/" + $0.rawValue } ?? "") }

  /// Whether two tracks install the same MicroK8s (no risk means stable).
  public func matches(_ other: Track) -> Bool { channel == other.channel }

  /// Parses `MAJOR.MINOR[-strict][/RISK]`, each number of one to three digits.
  public static func parse(_ text: String) -> Track? {
    var rest = Substring(text)
    var risk: Risk?
    if let slash = rest.firstIndex(of: "/") {
      guard let parsed = Risk(rawValue: String(rest[rest.index(after: slash)...])) else {
        return nil
      }
      risk = parsed
      rest = rest[..<slash]
    }
    var strict = false
    if rest.hasSuffix("-strict") {
      strict = true
      rest = rest.dropLast("-strict".count)
    }
    let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2,
      let major = number(parts[0]),
      let minor = number(parts[1])
    else { return nil }
    return Track(major: major, minor: minor, strict: strict, risk: risk)
  }

  private static func number(_ text: Substring) -> Int? {
    guard (1...3).contains(text.utf8.count),
      text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return nil }
    return Int(text)
  }
}
