/// A MicroK8s snap track and optional risk level: `1.28`, `1.28/stable`, `1.30-strict/edge`.
public struct Track: Sendable, Hashable, CustomStringConvertible {
  public enum Risk: String, Sendable, Hashable, CaseIterable {
    case stable
    case candidate
    case beta
    case edge
  }

  // Three digits at most each, so 16 bits: every node carries a Track.
  private var storedMajor: UInt16
  private var storedMinor: UInt16
  /// The strictly confined flavour of a track (`1.30-strict`).
  public var strict: Bool
  public var risk: Risk?

  public init(major: Int, minor: Int, strict: Bool = false, risk: Risk? = nil) {
    storedMajor = UInt16(clamping: major)
    storedMinor = UInt16(clamping: minor)
    self.strict = strict
    self.risk = risk
  }

  public var major: Int {
    get { Int(storedMajor) }
    set { storedMajor = UInt16(clamping: newValue) }
  }

  public var minor: Int {
    get { Int(storedMinor) }
    set { storedMinor = UInt16(clamping: newValue) }
  }

  /// `1.28` or `1.28-strict`: the snap track without the risk.
  public var track: String { "\(major).\(minor)" + (strict ? "-strict" : "") }

  /// The snap channel, as `snap install --channel` takes it.
  public var channel: String { track + "/" + (risk ?? .stable).rawValue }

  public var description: String { track + (risk.map { "/" + $0.rawValue } ?? "") }

  /// Whether two tracks install the same MicroK8s (no risk means stable).
  public func matches(_ other: Track) -> Bool {
    major == other.major && minor == other.minor && strict == other.strict
      && (risk ?? .stable) == (other.risk ?? .stable)
  }

  /// The largest major or minor version a track may name: three digits.
  public static let maximumNumber = 999

  /// Why a text is not a track.
  public enum Problem: Error, Equatable {
    /// Not `MAJOR.MINOR[-strict][/RISK]` at all.
    case malformed
    /// A major or minor version of more than three digits (the run as written).
    case numberTooLong(Substring)
  }

  /// Parses `MAJOR.MINOR[-strict][/RISK]`, each number of one to three digits.
  public static func parse(_ text: String) -> Track? {
    try? read(text).get()
  }

  /// Parses like `parse`, and says why a text is not a track.
  public static func read(_ text: String) -> Result<Track, Problem> {
    let utf8 = text.utf8
    var index = utf8.startIndex
    var tooLong: Substring?
    func number() -> Int? {
      let start = index
      var value = 0
      var digits = 0
      while index < utf8.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[index]) {
        // Only three digits are ever accumulated, so a digit run of any length cannot
        // overflow; a longer run is measured and refused.
        if digits < 3 { value = value * 10 + Int(utf8[index] - UInt8(ascii: "0")) }
        digits += 1
        index = utf8.index(after: index)
      }
      if digits > 3, tooLong == nil { tooLong = text[start..<index] }
      return (1...3).contains(digits) ? value : nil
    }
    let major = number()
    guard index < utf8.endIndex, utf8[index] == UInt8(ascii: ".") else {
      return .failure(.malformed)
    }
    index = utf8.index(after: index)
    let minor = number()
    if let tooLong { return .failure(.numberTooLong(tooLong)) }
    guard let major, let minor else { return .failure(.malformed) }
    let rest = text[index...]
    var strict = false
    var riskText = Substring()
    if rest.hasPrefix("-strict") {
      strict = true
      riskText = rest.dropFirst("-strict".count)
    } else {
      riskText = rest
    }
    guard !riskText.isEmpty else {
      return .success(Track(major: major, minor: minor, strict: strict))
    }
    guard riskText.first == "/", let risk = Risk(rawValue: String(riskText.dropFirst())) else {
      return .failure(.malformed)
    }
    return .success(Track(major: major, minor: minor, strict: strict, risk: risk))
  }
}

extension Track.Problem {
  /// What follows a diagnostic's "invalid … 'TEXT' in 'PATH'", separator included.
  public var explanation: String { explanation(example: "\"1.28\"") }

  /// The explanation, with `example` as the well-formed value it shows.
  public func explanation(example: String) -> String {
    switch self {
    case .malformed:
      "; expected a snap track such as \"1.28\", \"1.28/stable\" or \"1.30-strict/edge\""
    case .numberTooLong(let digits):
      ": the number \(String(digits).shown) is out of range; the major and minor versions are "
        + "whole numbers from 0 to \(Track.maximumNumber), as in \(example)"
    }
  }
}
