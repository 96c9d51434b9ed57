/// POSIX shell quoting, for the one string ssh hands to the remote login shell.
///
/// ssh joins its arguments with spaces and the remote shell parses the result again, so
/// argv must be quoted exactly once. Every element is single-quoted, where nothing is
/// special except the quote itself, written `'\''` (close, escaped quote, reopen).
/// Requires a POSIX-compatible login shell on the node (sh, bash, dash, zsh).
enum ShellQuoting {
  /// `it's` → `'it'\''s'`; the empty string → `''`.
  static func quote(_ argument: String) -> String {
    "'" + argument.replacing("'", with: #"'\''"#) + "'"
  }

  /// The command line a POSIX shell splits back into exactly `argv`.
  static func commandLine(_ argv: [String]) -> String {
    argv.map(quote).joined(separator: " ")
  }
}
