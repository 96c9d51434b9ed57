import Foundation
import Testing

/// `mktopo-chaos`, the randomized suite of `make chaos`, on a few fixed seeds (so that
/// `make test` runs the whole harness end to end), and against a saboteur: a stand-in
/// for mktopo that breaks every promise once, which the harness must report.
@Suite("chaos: fixed seeds, and a saboteur the harness must catch")
struct ChaosSmokeTests {
  /// Quick seeds whose files the oracle holds to converge: formed clusters with pods and
  /// bare hosts to install (15, 28), one a minor version behind the files, to be upgraded
  /// with its pods drained (19), and a brand-new one (69), with faults and outages during
  /// runs.
  static let seeds = "15,19,28,69"

  static func chaos() throws -> CommandRunner {
    let binary = try Paths.mktopoBinary().deletingLastPathComponent()
      .appendingPathComponent("mktopo-chaos")
    var runner = CommandRunner(executable: binary)
    // A guard against a hang, well above the ~10 s these seeds take on a 2-core machine.
    runner.timeout = .seconds(180)
    return runner
  }

  @Test("the fixed seeds find no violation")
  func fixedSeeds() async throws {
    let result = try await Self.chaos().run(["--seeds", Self.seeds, "--jobs", "2"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("chaos: 4 seeds, "), "\(result.stdout)")
    #expect(result.stdout.contains(", 0 violations"), "\(result.stdout)")
  }

  /// Seed 1289 forms a cluster of node1, node2 and node3 (exactly three voters, so two
  /// wiped ones are a lost majority whatever the timing) with a worker, beside a
  /// standalone host and two spares; it reconciles, plans with --detailed-exitcode and
  /// checks status, then applies to converge a file that can.
  @Test("a saboteur breaks each promise once, and each is reported")
  func saboteur() async throws {
    let directory = try TemporaryDirectory()
    let script = try directory.write("saboteur", Self.saboteur)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    let result = try await Self.chaos().run(["--seeds", "1289", "--mktopo", script])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    for invariant in [
      "quorum", "no-accidental-removal", "no-wrong-cluster", "no-token-leak", "no-crash",
      "truthful-success", "nothing-half-done", "convergence",
    ] {
      #expect(
        lines.contains { $0.hasPrefix("seed 1289: \(invariant): ") },
        "no \(invariant) violation reported:\n\(result.stdout)"
      )
    }
    #expect(!result.stdout.contains("harness error"), "\(result.stdout)")
  }

  /// status and plan --detailed-exitcode crash; plan claims a match it has not checked
  /// and prints a token; the
  /// first apply wipes two of three voters, joins a spare to one of them, leaves node1
  /// cordoned and a token in its journal; every apply fails.
  static let saboteur = """
    #!/bin/bash
    state=""; previous=""
    for argument in "$@"; do
      [ "$previous" = "--state-dir" ] && state=$argument
      previous=$argument
    done
    case "$1" in
      status) kill -SEGV $$ ;;
      plan)
        case " $* " in *" --detailed-exitcode "*) kill -SEGV $$ ;; esac
        echo "No changes. Cluster membership matches the topology."
        echo "minted 0123456789abcdef0123456789abcdef"
        exit 0 ;;
      apply)
        [ -e "$state/sabotaged" ] && exit 1
        touch "$state/sabotaged"
        microk8s-sim --host 192.168.1.10 kubectl cordon node1 >/dev/null
        microk8s-sim host 192.168.1.11 reinstall
        microk8s-sim host 192.168.1.12 reinstall
        microk8s-sim --host 192.168.1.11 add-node --token fedcba9876543210fedcba9876543210 >/dev/null
        microk8s-sim --host 192.168.1.30 join 192.168.1.11:25000/fedcba9876543210fedcba9876543210 >/dev/null
        echo '{"token": "00112233445566778899aabbccddeeff"}' > "$state/lab.journal.json"
        exit 1 ;;
    esac
    exit 0

    """
}
