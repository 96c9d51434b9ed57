import Synchronization

/// The shell script that replays a seed by hand: the world's set-up, then every run with
/// what the harness did before and during it, at the moments it did them.
///
/// It drives the same binaries (found on PATH, or in `MKTOPO_BIN`) against a fresh
/// world and state directory beside the script, so it can be run again and again.
final class Reproduction: Sendable {
  private let lines = Mutex<[String]>([])
  private let seed: UInt64
  private let binDirectory: String

  init(seed: UInt64, binDirectory: String) {
    self.seed = seed
    self.binDirectory = binDirectory
  }

  func add(_ line: String) {
    lines.withLock { $0.append(line) }
  }

  /// `microk8s-sim ARGUMENTS`, with the exit status it had when the harness ran it.
  func simulator(_ arguments: [String], exitCode: Int32) {
    let note = exitCode == 0 ? "" : "  # exit \(exitCode) when the harness ran it"
    add((["microk8s-sim"] + arguments).map(Self.quote).joined(separator: " ") + note)
  }

  var text: String {
    let header = [
      "#!/usr/bin/env bash",
      "# Replays chaos seed \(seed): the world, then each run with the harness's actions",
      "# (mid-run ones after the same delays, so timing can differ). Nothing leaves this",
      "# machine: every node is microk8s-sim, reached with connection type local.",
      "set -u",
      "here=$(cd \"$(dirname \"$0\")\" && pwd)",
      "export PATH=\"${MKTOPO_BIN:-\(binDirectory)}:$PATH\"",
      "rm -rf \"$here/replay\" && mkdir -p \"$here/replay/runs\"",
      "export MICROK8S_SIM_STATE=\"$here/replay/world\"",
      "STATE=\"$here/replay/state\"",
      "cd \"$here\"",
    ]
    return (header + lines.withLock { $0 }).joined(separator: "\n") + "\n"
  }

  /// Single quotes where the shell would otherwise read something into the word.
  static func quote(_ word: String) -> String {
    let plain = word.unicodeScalars.allSatisfy { scalar in
      scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        || "-_./:=@,{}+$\"".unicodeScalars.contains(scalar)
    }
    if plain && !word.isEmpty { return word }
    return "'" + word.replacing("'", with: "'\\''") + "'"
  }
}
