/// Stable pseudo-digests for simulated identities: certificate hashes and object UIDs.
///
/// Not cryptographic: the simulator only needs values that look like the real ones and
/// stay the same for the same input, so tests can predict them.
enum HexDigest {
  /// `length` lowercase hex digits derived from `text` (FNV-1a seeded SplitMix64).
  static func of(_ text: String, length: Int) -> String {
    var seed: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    var digits = ""
    while digits.count < length {
      seed = seed &+ 0x9E37_79B9_7F4A_7C15
      var mixed = seed
      mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      mixed ^= mixed >> 31
      digits += hex(mixed, width: 16)
    }
    return String(digits.prefix(length))
  }

  /// `count` random bytes as lowercase hex, like Python's `secrets.token_hex`.
  static func random(bytes count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    var digits = ""
    for _ in 0..<count {
      digits += hex(UInt64(UInt8.random(in: 0...255, using: &generator)), width: 2)
    }
    return digits
  }

  /// A Kubernetes-style UID (8-4-4-4-12) derived from `text`.
  static func uid(_ text: String) -> String {
    let digits = Array(of(text, length: 32))
    let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32]
    return groups.map { String(digits[$0]) }.joined(separator: "-")
  }

  private static func hex(_ value: UInt64, width: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}
