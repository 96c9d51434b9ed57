import CLibYAML

/// What `mktopo version` reports: this build and what it was built with.
enum BuildInfo {
  static let version = "0.1.0"

  /// The commit, as `make release` and `make install` pass it; "unknown" otherwise.
  static var commit: String { String(cString: mktopo_build_commit()) }

  /// The Swift language version the compiler implements, from 6.0 on.
  static var swift: String {
    #if swift(>=6.4)
      "6.4 or newer"
    #elseif swift(>=6.3)
      "6.3"
    #elseif swift(>=6.2)
      "6.2"
    #elseif swift(>=6.1)
      "6.1"
    #else
      "6.0"
    #endif
  }

  /// The libyaml the program runs with (`yaml_get_version_string`).
  static var libyaml: String { String(cString: yaml_get_version_string()) }

  /// `0.1.0 (commit abc1234)`, as `--version` prints it.
  static var versionLine: String { "\(version) (commit \(commit))" }
}
