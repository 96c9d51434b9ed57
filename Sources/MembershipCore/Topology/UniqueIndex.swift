/// Finds the first earlier entry with the same key, for duplicate names and addresses.
///
/// An open-addressing table of positions keyed by a cheap 64-bit hash: Dictionary's
/// seeded SipHash was a fifth of validating a 10,000-node file, and the keys here are
/// short and need no protection against collision attacks (the file has at most a few
/// hundred thousand entries, and a collision costs only an extra equality check).
struct UniqueIndex<Key: Equatable> {
  private var slots: [Int32]
  private var keys: [Key] = []
  /// The owner each entry of `keys` was recorded for.
  private var owners: [Int] = []
  private let mask: Int

  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    keys.reserveCapacity(capacity)
  }

  /// Records `key` for `owner`, or returns the owner that recorded an equal key first.
  mutating func insert(_ key: Key, hash: UInt64, owner: Int) -> Int? {
    // Mixed so that every input bit reaches the high bits the slot is taken from.
    var mixed = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
    mixed ^= mixed >> 29
    var slot = Int(truncatingIfNeeded: mixed >> 32) & mask
    while slots[slot] >= 0 {
      let existing = Int(slots[slot])
      if keys[existing] == key { return owners[existing] }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(keys.count)
    keys.append(key)
    owners.append(owner)
    return nil
  }

  /// FNV-1a over bytes.
  static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash ^ (hash >> 29)
  }
}
