/// Positions in a list, found by a cheap unseeded hash of their key (as `UniqueIndex`).
///
/// Open addressing; each slot holds the high half of the hash and the position plus one.
/// `Dictionary` and `Set` hash with a seeded SipHash, which was most of the cost of
/// matching a large cluster; these keys come from the operator's own file and cluster,
/// so a collision costs only a comparison.
struct PositionTable {
  private var slots: [UInt64]
  private let mask: Int

  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
  }

  /// Records `position` under `hash`, unless a position recorded there is a match: then
  /// returns that one, and records `position` in its place when `replacing`.
  mutating func insert(
    _ position: Int,
    hash: UInt64,
    replacing: Bool,
    where isMatch: (Int) -> Bool
  ) -> Int? {
    let entry = hash & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 {
      if let existing = match(slots[slot], hash, isMatch) {
        if replacing { slots[slot] = entry }
        return existing
      }
      slot = (slot + 1) & mask
    }
    slots[slot] = entry
    return nil
  }

  /// The position recorded under `hash` that is a match, or nil.
  func position(hash: UInt64, where isMatch: (Int) -> Bool) -> Int? {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 {
      if let existing = match(slots[slot], hash, isMatch) { return existing }
      slot = (slot + 1) & mask
    }
    return nil
  }

  private func match(_ entry: UInt64, _ hash: UInt64, _ isMatch: (Int) -> Bool) -> Int? {
    guard entry >> 32 == hash >> 32 else { return nil }
    let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
    return isMatch(position) ? position : nil
  }

  /// FNV-1a over the UTF-8 bytes.
  static func hash(_ name: String) -> UInt64 {
    var name = name
    return name.withUTF8 { bytes in
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
      return mixed(hash)
    }
  }

  static func hash(_ address: NodeAddress) -> UInt64 { mixed(address.hashValue64) }

  /// Spreads every input bit over the slot bits (low) and the check bits (high).
  private static func mixed(_ hash: UInt64) -> UInt64 {
    var mixed = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
    mixed ^= mixed >> 29
    return mixed
  }
}
