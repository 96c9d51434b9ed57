/// An IP address a node is known by in the cluster.
///
/// Parsing is strict so that an address is always a plain token that no shell, ssh
/// option parser or URL could read as anything else.
public enum NodeAddress: Sendable, Hashable, CustomStringConvertible {
  case ipv4(UInt32)
  /// 128 bits, most significant half first (no array, so addresses copy for free).
  case ipv6(UInt64, UInt64)

  public var isLoopback: Bool {
    switch self {
    case .ipv4(let value): value >> 24 == 127
    case .ipv6(let high, let low): high == 0 && low == 1
    }
  }

  /// `0.0.0.0` or `::`: "any address", never one a node can be reached at.
  public var isUnspecified: Bool {
    switch self {
    case .ipv4(let value): value == 0
    case .ipv6(let high, let low): high == 0 && low == 0
    }
  }

  /// A cheap, unseeded hash for duplicate detection (`UniqueIndex`).
  var hashValue64: UInt64 {
    switch self {
    case .ipv4(let value): UInt64(value) &* 0x9E37_79B9_7F4A_7C15
    case .ipv6(let high, let low): (high ^ (low &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    }
  }

  public var isIPv6: Bool {
    if case .ipv6 = self { return true }
    return false
  }

  /// Dotted quad, or the RFC 5952 form of an IPv6 address.
  public var description: String {
    switch self {
    case .ipv4(let value):
      return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    case .ipv6(let high, let low):
      let groups = (0..<8).map { index -> UInt16 in
        let half = index < 4 ? high : low
        return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index % 4)))
      }
      return Self.compressed(groups)
    }
  }

  /// `address:port`, with an IPv6 address in brackets (RFC 3986), as in
  /// `192.168.1.10:25000` or `[fd00::1]:19001`.
  public func withPort(_ port: Int) -> String {
    isIPv6 ? "[\(description)]:\(port)" : "\(description):\(port)"
  }

  /// Parses a dotted quad (no leading zeros, which some tools read as octal) or an
  /// IPv6 address (no zone index).
  public static func parse(_ text: String) -> NodeAddress? {
    if let v4 = parseIPv4(Substring(text)) { return .ipv4(v4) }
    guard text.utf8.contains(UInt8(ascii: ":")) else { return nil }
    guard let groups = parseIPv6(Substring(text)) else { return nil }
    let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
    let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
    return .ipv6(high, low)
  }

  static func parseIPv4(_ text: Substring) -> UInt32? {
    var text = text
    return text.withUTF8 { parseIPv4($0) }
  }

  /// Four dot-separated decimal octets; one pass over the bytes, as every node has one.
  static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
    var value: UInt32 = 0
    var octet: UInt32 = 0
    var digits = 0
    var dots = 0
    var leadingZero = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        guard digits > 0, dots < 3 else { return nil }
        value = value << 8 | octet
        dots += 1
        octet = 0
        digits = 0
        continue
      }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
      // "01" is refused: some tools read a leading zero as octal.
      if digits == 0 { leadingZero = byte == UInt8(ascii: "0") } else if leadingZero { return nil }
      octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
      guard octet <= 255 else { return nil }
      digits += 1
    }
    guard dots == 3, digits > 0 else { return nil }
    return value << 8 | octet
  }

  static func parseIPv6(_ text: Substring) -> [UInt16]? {
    let halves = text.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    guard let head = groups(halves[0]) else { return nil }
    if halves.count == 1 {
      return head.count == 8 ? head : nil
    }
    guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
    return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
  }

  /// Colon-separated hex groups; the last may be an embedded dotted quad.
  private static func groups(_ text: Substring) -> [UInt16]? {
    guard !text.isEmpty else { return [] }
    var result: [UInt16] = []
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    for (offset, part) in parts.enumerated() {
      if offset == parts.count - 1, part.contains(".") {
        guard let v4 = parseIPv4(part) else { return nil }
        result.append(UInt16(v4 >> 16))
        result.append(UInt16(v4 & 0xFFFF))
        continue
      }
      guard (1...4).contains(part.utf8.count),
        part.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || (0x61...0x66).contains($0 | 0x20) }),
        let group = UInt16(part, radix: 16)
      else { return nil }
      result.append(group)
    }
    return result.count <= 8 ? result : nil
  }

  private static func compressed(_ groups: [UInt16]) -> String {
    // The longest run of two or more zero groups becomes "::" (RFC 5952 section 4.2).
    var bestStart = -1
    var bestLength = 1
    var index = 0
    while index < groups.count {
      guard groups[index] == 0 else {
        index += 1
        continue
      }
      var end = index
      while end < groups.count, groups[end] == 0 { end += 1 }
      if end - index > bestLength {
        bestStart = index
        bestLength = end - index
      }
      index = end
    }
    let hex = groups.map { String($0, radix: 16) }
    guard bestStart >= 0 else { return hex.joined(separator: ":") }
    let head = hex[..<bestStart].joined(separator: ":")
    let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
    return head + "::" + tail
  }
}

extension Substring {
  fileprivate func components(separatedBy separator: String) -> [Substring] {
    var result: [Substring] = []
    var rest = self[...]
    while let range = rest.firstRange(of: separator) {
      result.append(rest[..<range.lowerBound])
      rest = rest[range.upperBound...]
    }
    result.append(rest)
    return result
  }
}
