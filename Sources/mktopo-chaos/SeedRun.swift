import FoundationEssentials
import Glibc

/// Where seeds run, and with which binaries.
struct ChaosSettings: Sendable {
  /// The directory holding `microk8s-sim` (and, by default, `mktopo`).
  var binDirectory: String
  /// The mktopo put to the test.
  var mktopo: String
  /// A directory whose `ssh` refuses every destination, first on mktopo's PATH.
  var guardDirectory: String
  /// Each seed gets `seed-N` in here.
  var workDirectory: String
  /// Keep the directory of a seed with violations (else every seed's is removed).
  var keepFailures: Bool
  /// With `keepFailures`, keep every seed's directory.
  var keepAll = false
  /// A run that takes longer is killed and reported.
  var runTimeout: Duration = .seconds(240)
  /// How many `apply --auto-approve` the convergence phase may take.
  var convergenceAttempts = 3
}

/// What one seed found.
struct SeedOutcome: Sendable {
  var seed: UInt64
  var runs: [RunRecord]
  var violations: [Violation]
  var harnessErrors: [String]
  var directory: String
  var kept: Bool
  var seconds: Double
  /// Why the oracle did not hold the last file to converge; nil when it did.
  var doubt: String?
}

/// One seed, start to end: build the world, write the files, run mktopo as the scenario
/// says with the harness's actions around each run, check every invariant, then clear
/// every fault and outage and ask apply to converge.
final class SeedRun {
  let scenario: Scenario
  let settings: ChaosSettings
  let directory: String
  let driver: SimulatorDriver
  let reproduction: Reproduction
  var watch: MembershipWatch?
  var runs: [RunRecord] = []
  var violations: [Violation] = []
  var harnessErrors: [String] = []
  var tokens: Set<String> = []
  /// Token leaks reported so far, by evidence, so the last scan adds only new ones.
  var leaks: Set<String> = []
  /// Hosts that left the file's cluster for a role change, and the run they left in.
  var roleChanges: [(address: String, run: Int)] = []
  var doubt: String?

  var stateDirectory: String { directory + "/state" }

  init(_ scenario: Scenario, settings: ChaosSettings) {
    self.scenario = scenario
    self.settings = settings
    directory = settings.workDirectory + "/seed-\(scenario.seed)"
    driver = SimulatorDriver(stateDirectory: directory + "/world")
    reproduction = Reproduction(seed: scenario.seed, binDirectory: settings.binDirectory)
  }

  func execute() async -> SeedOutcome {
    let started = ContinuousClock.now
    do {
      try prepare()
      for recipe in scenario.runs {
        let record = try await perform(recipe, label: recipe.command.rawValue)
        if record.killedByHarness {
          // The operator (or systemd) runs it again after the crash.
          try await Task.sleep(for: .milliseconds(300))
          _ = try await perform(
            .calm(recipe.command, file: recipe.file),
            label: "\(recipe.command.rawValue), again after SIGKILL"
          )
        }
      }
      try await converge()
    } catch {
      harnessErrors.append("\(error)")
    }
    scanForSecrets()
    let keep =
      settings.keepFailures
      && (settings.keepAll || !(violations.isEmpty && harnessErrors.isEmpty))
    if keep {
      write("reproduce.sh", reproduction.text, executable: true)
      write("violations.txt", violations.map(describe).joined(separator: "\n") + "\n")
      write("scenario.txt", scenario.description)
    } else {
      try? FileManager.default.removeItem(atPath: directory)
    }
    return SeedOutcome(
      seed: scenario.seed,
      runs: runs,
      violations: violations,
      harnessErrors: harnessErrors,
      directory: directory,
      kept: keep,
      seconds: (ContinuousClock.now - started).seconds,
      doubt: doubt
    )
  }

  /// The seed's directory, its world and its files.
  private func prepare() throws {
    try? FileManager.default.removeItem(atPath: directory)
    for path in [directory, directory + "/runs", stateDirectory] {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    for (index, file) in scenario.files.enumerated() {
      write("topology-\(index + 1).yaml", file.yaml)
    }
    var builder = WorldBuilder(
      driver: driver,
      reproduction: reproduction,
      random: SplitMix64(seed: scenario.seed ^ 0x746F_6B65_6E73)
    )
    try builder.build(scenario.world)
    let start = try driver.snapshot()
    let identity = ClusterIdentity(world: start, recipe: scenario.world, files: scenario.files)
    watch = MembershipWatch(start: start, identity: identity)
  }

  /// One line for a violation: seed, invariant, evidence, the run and how to replay it.
  func describe(_ violation: Violation) -> String {
    var line = "seed \(scenario.seed): \(violation.invariant.rawValue): \(violation.evidence)"
    if let number = violation.run, let run = runs.first(where: { $0.number == number }) {
      line +=
        " [run \(number) (\(run.label)): `\(run.commandLine)`, "
        + (run.end?.description ?? "none: killed after the timeout")
        + ", output in \(run.outputPrefix).stdout/.stderr]"
    }
    let place = settings.keepFailures ? directory : "DIR/seed-\(scenario.seed)"
    line +=
      " | reproduce: mktopo-chaos --seeds \(scenario.seed) --keep-failures "
      + (settings.keepFailures ? settings.workDirectory : "DIR")
      + "; then \(place)/reproduce.sh replays it (world set-up, topology-N.yaml, runs/)"
    return line
  }

  func write(_ name: String, _ text: String, executable: Bool = false) {
    let path = directory + "/" + name
    _ = FileManager.default.createFile(
      atPath: path,
      contents: Data(text.utf8),
      attributes: executable ? [.posixPermissions: 0o755] : nil
    )
  }

  /// Every output and every state file against every token the simulator ever held.
  private func scanForSecrets() {
    var texts: [(name: String, text: String)] = []
    for run in runs {
      texts.append(("output of run \(run.number) (\(run.outputPrefix).stdout)", run.stdout))
      texts.append(("output of run \(run.number) (\(run.outputPrefix).stderr)", run.stderr))
    }
    texts += SecretScan.files(under: stateDirectory)
    for finding in SecretScan.findings(in: texts, tokens: tokens)
    where leaks.insert(finding).inserted {
      violations.append(Violation(.tokenLeak, finding))
    }
  }
}

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
