import MembershipCore

/// A single join's secret: 32 lowercase hex digits, as `secrets.token_hex(16)` makes them
/// in MicroK8s (contract section 2.3), chosen by mktopo so that it never has to read one
/// back from add-node's output.
///
/// It prints as `<token>` everywhere (`description`, string interpolation, `dump`), so a
/// stray log line cannot leak it; only `secret` gives the value, for the two argv that
/// need it.
public struct JoinToken: Sendable, Equatable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable
{
  /// The token itself.
  ///
  /// Pass it in argv and `Invocation.secrets`, nowhere else.
  public let secret: String

  /// A fresh random token: 128 bits from the system's secure generator.
  public init() {
    var generator = SystemRandomNumberGenerator()
    self.init(generator: &generator)
  }

  /// A token from `generator`, for tests that need a known one.
  public init(generator: inout some RandomNumberGenerator) {
    let digits = Array("0123456789abcdef".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(32)
    for _ in 0..<2 {
      var word = generator.next()
      for _ in 0..<16 {
        bytes.append(digits[Int(word & 0xF)])
        word >>= 4
      }
    }
    secret = String(decoding: bytes, as: UTF8.self)
  }

  public var description: String { Step.tokenPlaceholder }
  public var debugDescription: String { Step.tokenPlaceholder }
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}
