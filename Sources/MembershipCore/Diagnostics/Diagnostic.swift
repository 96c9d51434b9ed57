/// A problem with user input, reported the way compilers do.
///
/// Problems with a topology file are values, never thrown errors: a validator returns
/// every diagnostic it finds so that one run shows all of them.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Codable {
    case error
    case warning
    case note
  }

  public var severity: Severity
  public var message: String
  /// The file the problem is in, as the user named it (`<stdin>` for standard input).
  public var file: String?
  public var position: SourcePosition?
  /// Related places, such as the first declaration of a duplicate.
  public var notes: [Diagnostic]

  public init(
    _ severity: Severity,
    _ message: String,
    file: String? = nil,
    at position: SourcePosition? = nil,
    notes: [Diagnostic] = []
  ) {
    self.severity = severity
    self.message = message
    self.file = file
    self.position = position
    self.notes = notes
  }

  public static func error(
    _ message: String,
    file: String? = nil,
    at position: SourcePosition? = nil,
    notes: [Diagnostic] = []
  ) -> Diagnostic {
    Diagnostic(.error, message, file: file, at: position, notes: notes)
  }

  public static func warning(
    _ message: String,
    file: String? = nil,
    at position: SourcePosition? = nil,
    notes: [Diagnostic] = []
  ) -> Diagnostic {
    Diagnostic(.warning, message, file: file, at: position, notes: notes)
  }

  public static func note(
    _ message: String,
    file: String? = nil,
    at position: SourcePosition? = nil
  ) -> Diagnostic {
    Diagnostic(.note, message, file: file, at: position)
  }

  /// `file:line:col: severity: message`, the first line of the compiler form.
  public var description: String {
    var prefix = ""
    if let file {
      prefix += file + ":"
      if let position { prefix += "\(position.line):\(position.column):" }
      prefix += " "
    }
    return prefix + "\(severity.rawValue): \(message)"
  }
}

extension Array where Element == Diagnostic {
  /// True when any diagnostic is an error; warnings alone leave input valid.
  public var containsErrors: Bool { contains { $0.severity == .error } }

  public var errorCount: Int { reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }

  public var warningCount: Int { reduce(0) { $0 + ($1.severity == .warning ? 1 : 0) } }
}
