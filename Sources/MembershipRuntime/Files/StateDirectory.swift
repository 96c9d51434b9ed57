import Glibc

/// Where mktopo keeps what outlives one command: ssh connection sockets now, the lock
/// and the journal with `apply` (DESIGN.md section 6).
public enum StateDirectory {
  /// Where state goes, always absolute; nil without a home.
  ///
  /// `--state-dir` when given, else `$XDG_STATE_HOME/mktopo`, else
  /// `~/.local/state/mktopo` (the XDG base directory default). Absolute because ssh's
  /// control sockets and the lock are made from it.
  public static func resolve(_ explicit: String?) -> String? {
    if let explicit, !explicit.isEmpty { return absolute(explicit) }
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return state + "/mktopo"
    }
    guard let home = environment("HOME") else { return nil }
    return home + "/.local/state/mktopo"
  }

  private static func absolute(_ path: String) -> String? {
    guard !path.hasPrefix("/") else { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    let directory = String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
      as: UTF8.self
    )
    return (directory == "/" ? "" : directory) + "/" + path
  }

  private static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
  }
}
