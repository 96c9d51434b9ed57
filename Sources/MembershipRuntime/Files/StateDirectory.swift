import Glibc

/// Where mktopo keeps what outlives one command: ssh connection sockets now, the lock
/// and the journal with `apply` (DESIGN.md section 6).
public enum StateDirectory {
  /// `--state-dir` when given, else `$XDG_STATE_HOME/mktopo`, else
  /// `~/.local/state/mktopo` (the XDG base directory default); nil without a home.
  public static func resolve(_ explicit: String?) -> String? {
    if let explicit, !explicit.isEmpty { return explicit }
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
      return state + "/mktopo"
    }
    guard let home = environment("HOME") else { return nil }
    return home + "/.local/state/mktopo"
  }

  private static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
  }
}
