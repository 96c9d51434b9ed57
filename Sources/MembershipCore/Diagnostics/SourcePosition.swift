/// A place in a source file: 1-based line and 1-based column.
///
/// Columns count Unicode scalars, as libyaml does, so a caret lines up under the
/// character an editor shows at that column.
public struct SourcePosition: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// The start of a file, for problems that belong to the file as a whole.
  public static let start = SourcePosition(line: 1, column: 1)

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }

  public var description: String { "\(line):\(column)" }
}
