import ArgumentParser
import FoundationEssentials
import Glibc

/// `mktopo-chaos`: randomized, seeded, adversarial runs of mktopo against the simulator,
/// checked against the product's promises.
@main
struct ChaosCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mktopo-chaos",
    abstract: "Run mktopo against random simulated worlds and check its promises.",
    discussion: """
      Each seed builds its own simulated world (microk8s-sim, nothing leaves this \
      machine), writes random topology files, runs mktopo plan, apply, status and \
      reconcile --once with faults, outages and SIGKILLs around them, then clears \
      everything and asks apply to converge. Every broken promise is printed on one line \
      with the seed and how to replay it. Exit 1 when any was found.
      """
  )

  @Option(help: "Seeds to run: 1-1000, 7, or 3,9,20-25.")
  var seeds: String = "1-1000"

  @Option(help: "Seeds run at once.")
  var jobs: Int = 2

  @Option(
    name: .customLong("keep-failures"),
    help:
      "Keep the directory of every seed with a violation here (world, files, outputs, reproduce.sh)."
  )
  var keepFailures: String?

  @Flag(
    name: .customLong("keep-all"),
    help: "With --keep-failures, keep every seed's directory, not only those with violations."
  )
  var keepAll = false

  @Flag(help: "A line per seed, violations or not.")
  var verbose = false

  @Flag(help: "Print what each seed would do (world, files, runs), and run nothing.")
  var describe = false

  @Option(help: "The mktopo to put to the test (default: the one beside mktopo-chaos).")
  var mktopo: String?

  func validate() throws {
    guard SeedList(seeds) != nil else {
      throw ValidationError("--seeds: expected N, N-M or a comma list of them, got '\(seeds)'")
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  func run() async throws {
    let list = SeedList(seeds)?.seeds ?? []
    if describe {
      for seed in list {
        let scenario = Scenario.generate(seed: seed)
        print(scenario.description)
        for (index, file) in scenario.files.enumerated() {
          print("topology-\(index + 1).yaml:\n\(file.yaml)")
        }
      }
      return
    }
    let settings = try prepare()
    var seedCount = 0
    var runCount = 0
    var violationCount = 0
    var harnessCount = 0
    var feasibleCount = 0
    await withTaskGroup(of: (SeedOutcome, [String]).self) { group in
      var pending = list[...]
      func start() {
        guard let seed = pending.popFirst() else { return }
        group.addTask {
          let run = SeedRun(Scenario.generate(seed: seed), settings: settings)
          let outcome = await run.execute()
          return (outcome, outcome.violations.map(run.describe))
        }
      }
      for _ in 0..<jobs { start() }
      while let (outcome, lines) = await group.next() {
        seedCount += 1
        runCount += outcome.runs.count
        violationCount += outcome.violations.count
        harnessCount += outcome.harnessErrors.count
        if outcome.doubt == nil { feasibleCount += 1 }
        report(outcome, lines)
        start()
      }
    }
    if keepFailures == nil { try? FileManager.default.removeItem(atPath: settings.workDirectory) }
    var summary = "chaos: \(seedCount) seeds, \(runCount) runs, \(violationCount) violations"
    if harnessCount > 0 { summary += ", \(harnessCount) harness errors" }
    if verbose {
      print("chaos: the oracle held \(feasibleCount) of \(seedCount) seeds to converge")
    }
    print(summary)
    if violationCount > 0 || harnessCount > 0 { throw ExitCode(1) }
  }

  private func report(_ outcome: SeedOutcome, _ lines: [String]) {
    for line in lines { print(line) }
    for error in outcome.harnessErrors {
      print("seed \(outcome.seed): harness error (not a finding about mktopo): \(error)")
    }
    if verbose {
      let feasibility = outcome.doubt.map { "infeasible (\($0))" } ?? "feasible"
      print(
        "seed \(outcome.seed): \(outcome.runs.count) runs in "
          + "\(SeedRun.format(outcome.seconds)) s, \(feasibility), "
          + "\(outcome.violations.count) violations"
          + (outcome.kept ? ", kept in \(outcome.directory)" : "")
          + ": " + outcome.runs.map(\.summary).joined(separator: "; ")
      )
    }
    fflush(nil)
  }

  /// The binaries beside this one, the work directory, and the ssh guard.
  private func prepare() throws -> ChaosSettings {
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    let bin = String(executable[..<(executable.lastIndex(of: "/") ?? executable.endIndex)])
    let tested = mktopo ?? bin + "/mktopo"
    for tool in [tested, bin + "/microk8s-sim"] where access(tool, X_OK) != 0 {
      throw ValidationError("no executable \(tool): build it first")
    }
    let work: String
    if let keepFailures {
      work =
        keepFailures.hasPrefix("/")
        ? keepFailures : FileManager.default.currentDirectoryPath + "/" + keepFailures
      try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    } else {
      var template = Array(
        (FileManager.default.temporaryDirectory.path + "/mktopo-chaos-XXXXXX").utf8CString
      )
      guard let made = mkdtemp(&template) else {
        throw ValidationError("cannot make a temporary directory")
      }
      work = String(cString: made)
    }
    let guardDirectory = work + "/.network-guard"
    try FileManager.default.createDirectory(
      atPath: guardDirectory,
      withIntermediateDirectories: true
    )
    let script = """
      #!/bin/sh
      # mktopo-chaos: every node is simulated and reached with connection type local;
      # an ssh would mean a file pointed somewhere real, so it is refused like a dead host.
      echo "mktopo-chaos network guard: refused ssh $*" >&2
      exit 255

      """
    _ = FileManager.default.createFile(
      atPath: guardDirectory + "/ssh",
      contents: Data(script.utf8),
      attributes: [.posixPermissions: 0o755]
    )
    return ChaosSettings(
      binDirectory: bin,
      mktopo: tested.hasPrefix("/")
        ? tested : FileManager.default.currentDirectoryPath + "/" + tested,
      guardDirectory: guardDirectory,
      workDirectory: work,
      keepFailures: keepFailures != nil,
      keepAll: keepAll
    )
  }
}
