import CLibYAML

/// Byte-level facts about a source file: UTF-8 validity and positions of byte offsets.
enum SourceText {
  /// Whether a byte occurs at all; memchr, as it scans the whole file.
  static func contains(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return memchr(base, Int32(byte), bytes.count) != nil
  }

  /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
  static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    let count = bytes.count
    guard let base = bytes.baseAddress else { return nil }
    while index < count {
      // Topologies are nearly all ASCII: skip eight bytes at a time while no high bit is set.
      while index + 8 <= count,
        UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        index += 8
      }
      guard index < count else { break }
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var minimum: UInt32
      var scalar: UInt32
      switch lead {
      case 0xC2...0xDF:
        length = 2
        minimum = 0x80
        scalar = UInt32(lead & 0x1F)
      case 0xE0...0xEF:
        length = 3
        minimum = 0x800
        scalar = UInt32(lead & 0x0F)
      case 0xF0...0xF4:
        length = 4
        minimum = 0x10000
        scalar = UInt32(lead & 0x07)
      default:
        return index
      }
      guard index + length <= count else { return index }
      for offset in 1..<length {
        let byte = bytes[index + offset]
        guard byte & 0xC0 == 0x80 else { return index }
        scalar = scalar << 6 | UInt32(byte & 0x3F)
      }
      // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
      guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
        return index
      }
      index += length
    }
    return nil
  }

  /// The line and column (in Unicode scalars) of a byte offset.
  static func position(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SourcePosition {
    positions(ofBytes: [offset], in: bytes)[offset] ?? .start
  }

  /// The line and column of each byte offset, in one pass over the bytes.
  static func positions(
    ofBytes offsets: [Int],
    in bytes: UnsafeBufferPointer<UInt8>
  ) -> [Int: SourcePosition] {
    var positions: [Int: SourcePosition] = [:]
    var line = 1
    var column = 1
    var index = 0
    for offset in Set(offsets).sorted() {
      let end = min(offset, bytes.count)
      while index < end {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") {
          line += 1
          column = 1
        } else if byte & 0xC0 != 0x80 {
          // Columns count Unicode scalars: continuation bytes do not start one.
          column += 1
        }
        index += 1
      }
      positions[offset] = SourcePosition(line: line, column: column)
    }
    return positions
  }
}
