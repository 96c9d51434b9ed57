/// A place in a source file: 1-based line and 1-based column.
///
/// Columns count Unicode scalars, as libyaml does, so a caret lines up under the
/// character an editor shows at that column. Stored as two 32-bit numbers: every node
/// of a topology carries several of these.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  private var storedLine: UInt32
  private var storedColumn: UInt32

  public init(line: Int, column: Int) {
    storedLine = UInt32(clamping: line)
    storedColumn = UInt32(clamping: column)
  }

  public var line: Int {
    get { Int(storedLine) }
    set { storedLine = UInt32(clamping: newValue) }
  }

  public var column: Int {
    get { Int(storedColumn) }
    set { storedColumn = UInt32(clamping: newValue) }
  }

  /// The start of a file, for problems that belong to the file as a whole.
  public static let start = SourcePosition(line: 1, column: 1)

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.storedLine, lhs.storedColumn) < (rhs.storedLine, rhs.storedColumn)
  }

  public var description: String { "\(line):\(column)" }
}
