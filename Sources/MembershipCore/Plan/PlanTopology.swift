/// The topology file a plan was made from, saved inside the plan: applying a saved plan
/// carries out that file, never whatever its path holds by then.
public struct PlanTopology: Sendable, Hashable {
  /// The path it was read from, as given (`-` for standard input).
  public var path: String
  /// `sha256:` and the 64 hex digits of the file's bytes.
  public var digest: String
  /// The file's text.
  public var content: String

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    digest = Self.digest(bytes)
    content = String(decoding: bytes, as: UTF8.self)
  }

  public init(path: String, digest: String, content: String) {
    self.path = path
    self.digest = digest
    self.content = content
  }

  public static func digest(_ bytes: [UInt8]) -> String {
    "sha256:" + SHA256.hex(SHA256.hash(bytes))
  }

  /// The content is what the digest says: the plan file was not edited there.
  public var isIntact: Bool { Self.digest(Array(content.utf8)) == digest }
}
