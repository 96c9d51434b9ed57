import CLibYAML

/// The keys one kind of mapping accepts, matched against libyaml's bytes with memcmp.
///
/// Every key of every node goes through `match`, so it makes no String.
struct KeySet: Sendable {
  let names: [String]
  private let bytes: [[UInt8]]

  init(_ names: [String]) {
    precondition(names.count <= 64, "seen keys are tracked in a 64-bit mask")
    self.names = names
    self.bytes = names.map { Array($0.utf8) }
  }

  /// The position in `names` of the key spelled by these bytes, if it is accepted.
  func match(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = key.baseAddress else { return nil }
    for index in bytes.indices where bytes[index].count == key.count {
      let equal = bytes[index].withUnsafeBufferPointer { candidate in
        candidate.baseAddress.map { memcmp($0, base, key.count) == 0 } ?? false
      }
      if equal { return index }
    }
    return nil
  }
}
