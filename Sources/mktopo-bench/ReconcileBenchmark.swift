import Glibc
import Logging
import MembershipCore
import MembershipRuntime

/// Times the converged no-op pass of `mktopo reconcile` on a 100-node simulated cluster.
///
/// The topology lives in a local bare git repository (a `file://` URL) and names 5 mixed
/// nodes and 95 workers that microk8s-sim plays (`connection: {type: local}`: the
/// addresses are never contacted). A first pass converges the cluster from 100 standalone
/// hosts; after a warm-up pass, each measured pass fetches (no new commit), observes and
/// plans, as the daemon does every interval once converged. Targets: 2 engine commands
/// per pass, and a median under 50 ms of CPU in this process (getrusage RUSAGE_SELF:
/// git and microk8s-sim, the children, are counted apart).
enum ReconcileBenchmark {
  static let mixed = 5
  static let workers = 95
  static let passes = 20
  static let commandTarget = 2
  static let cpuTarget = 50.0
  /// The topology's path in the repository.
  static let path = "clusters/bench.yaml"

  /// One measured pass.
  struct Sample {
    var wall: Double
    var cpu: Double
    var childCPU: Double
    var commands: Int
    var outcome: PassOutcome
    var revision: String?
  }

  static func run() async -> Bool {
    print()
    return await withSimulatorScratch(run(simulator:directory:))
  }

  private static func run(simulator: String, directory: String) async -> Bool {
    let world = directory + "/world"
    let state = directory + "/state"
    guard makeWorld(simulator: simulator, world: world), mkdir(state, 0o700) == 0 else {
      print("microk8s-sim could not create the world")
      return false
    }
    let topology = self.topology(simulator: simulator, world: world)
    guard let commit = commitTopology(topology, in: directory) else {
      print("git could not commit the topology to \(directory)/remote.git")
      return false
    }
    let source = GitSource(
      url: "file://\(directory)/remote.git",
      ref: "main",
      path: path,
      stateDirectory: state
    )
    let pass = ReconcilePass(
      source: .git(source, verifySignatures: false),
      stateDirectory: state,
      dryRun: false,
      options: Planner.Options(),
      logger: Logger(label: "mktopo-bench") { _ in SwiftLogNoOpLogHandler() }
    )
    print(
      "reconcile: converged no-op pass, \(mixed) mixed + \(workers) workers on microk8s-sim, "
        + "topology in git (file://)"
    )

    let clock = ContinuousClock()
    let start = clock.now
    let first = await pass.run(previous: nil)
    let converging = clock.now - start
    let changes = mixed + workers - 1
    guard first.report.outcome == .converged, first.report.applied.count == changes,
      first.report.revision == commit
    else {
      print(
        "  the first pass did not converge: \(first.report.outcome), "
          + "\(first.report.applied.count) of \(changes) changes, "
          + (first.report.message ?? "no message")
      )
      return false
    }
    print(
      "  first pass (clone, load, \(changes) joins): \(format(milliseconds(converging) / 1000)) s, "
        + "\(first.engineCommands) engine commands"
    )

    let warmUp = await measure(pass, previous: first.read)
    var samples: [Sample] = []
    var previous = warmUp.read
    for _ in 0..<passes {
      let measured = await measure(pass, previous: previous)
      samples.append(measured.sample)
      previous = measured.read ?? previous
    }
    let gitCommands = await countGitCommands(pass, previous: previous, in: directory)
    return report(samples, warmUp: warmUp.sample, commit: commit, gitCommands: gitCommands)
  }

  // MARK: Measuring

  /// Runs one pass; its wall time, CPU in this process and in its children, and result.
  private static func measure(
    _ pass: ReconcilePass,
    previous: TopologySource.Read?
  ) async -> (sample: Sample, read: TopologySource.Read?) {
    let clock = ContinuousClock()
    let ownBefore = cpuMilliseconds(RUSAGE_SELF)
    let childBefore = cpuMilliseconds(RUSAGE_CHILDREN)
    let start = clock.now
    let result = await pass.run(previous: previous)
    let wall = milliseconds(clock.now - start)
    let sample = Sample(
      wall: wall,
      cpu: cpuMilliseconds(RUSAGE_SELF) - ownBefore,
      childCPU: cpuMilliseconds(RUSAGE_CHILDREN) - childBefore,
      commands: result.engineCommands,
      outcome: result.report.outcome,
      revision: result.report.revision
    )
    return (sample, result.read)
  }

  /// User plus system CPU time of this process (`RUSAGE_SELF`, every thread) or of its
  /// children that have been waited for (`RUSAGE_CHILDREN`), in milliseconds.
  private static func cpuMilliseconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(who.rawValue, &usage)
    let seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
    let microseconds = usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
    return Double(seconds) * 1000 + Double(microseconds) / 1000
  }

  /// The git commands of a no-op pass, counted; nil when they cannot be.
  ///
  /// One more pass, untimed, with a `git` first on PATH that logs each command mktopo
  /// runs before it runs the real one.
  private static func countGitCommands(
    _ pass: ReconcilePass,
    previous: TopologySource.Read?,
    in directory: String
  ) async -> [String]? {
    guard let git = capture("command -v git"), git.hasPrefix("/"),
      let oldPath = getenv("PATH").map({ String(cString: $0) })
    else { return nil }
    let shims = directory + "/shims"
    let log = directory + "/git-commands.log"
    // mktopo runs `git --git-dir DIR SUBCOMMAND …`: the log keeps SUBCOMMAND.
    let script = "#!/bin/sh\necho \"$3\" >> '\(log)'\nexec '\(git)' \"$@\"\n"
    guard mkdir(shims, 0o700) == 0, write(script, to: shims + "/git"),
      chmod(shims + "/git", 0o755) == 0
    else { return nil }
    setenv("PATH", shims + ":" + oldPath, 1)
    _ = await pass.run(previous: previous)
    setenv("PATH", oldPath, 1)
    guard let lines = capture("cat '\(log)'") else { return nil }
    return lines.split(separator: "\n").map(String.init)
  }

  // MARK: Reporting

  private static func report(
    _ samples: [Sample],
    warmUp: Sample,
    commit: String,
    gitCommands: [String]?
  ) -> Bool {
    let walls = samples.map(\.wall)
    let cpus = samples.map(\.cpu)
    let children = samples.map(\.childCPU)
    print(
      "  warm-up pass: wall \(format(warmUp.wall)) ms, CPU in process \(format(warmUp.cpu)) ms, "
        + "\(warmUp.commands) engine commands"
    )
    print("  \(samples.count) no-op passes (fetch with no new commit, observe, plan):")
    print(
      "    wall:           median \(format(median(walls))) ms, max \(format(walls.max() ?? 0)) ms"
    )
    let cpuMet = median(cpus) < cpuTarget
    print(
      "    CPU in process: median \(format(median(cpus))) ms, max \(format(cpus.max() ?? 0)) ms "
        + "(target < \(Int(cpuTarget)) ms median)  \(cpuMet ? "ok" : "OVER TARGET")"
    )
    print(
      "    CPU of the subprocesses (git, microk8s-sim): median \(format(median(children))) ms, "
        + "max \(format(children.max() ?? 0)) ms"
    )
    let commands = Set(samples.map(\.commands)).sorted()
    let commandsMet = commands == [commandTarget]
    print(
      "    engine commands per pass: "
        + commands.map(String.init).joined(separator: ", ")
        + " (target \(commandTarget))  \(commandsMet ? "ok" : "OVER TARGET")"
    )
    if let gitCommands {
      let engine = commands.count == 1 ? "\(commands[0])" : "?"
      print(
        "    subprocesses per pass: \(gitCommands.count) git "
          + "(\(gitCommands.joined(separator: ", "))) + \(engine) microk8s-sim, run by mktopo"
      )
    } else {
      print("    subprocesses per pass: git could not be counted; microk8s-sim \(commands)")
    }
    let outcomes = Set(samples.map { "\($0.outcome)" }).sorted()
    let steady = samples.allSatisfy { $0.outcome == .converged && $0.revision == commit }
    print(
      "    outcome: \(outcomes.joined(separator: ", ")), revision "
        + "\(commit.prefix(12)) \(steady ? "unchanged" : "CHANGED")  \(steady ? "ok" : "FAILED")"
    )
    let met = cpuMet && commandsMet && steady
    print("  reconcile no-op targets: \(met ? "PASS" : "FAIL")")
    return met
  }

  // MARK: The world and the repository

  /// 100 standalone hosts, Ready at once after a join (ready-delay 0).
  private static func makeWorld(simulator: String, world: String) -> Bool {
    let hosts = (0..<(mixed + workers)).map { "--host \(address($0))=\(name($0))" }
    return system(
      "'\(simulator)' --state '\(world)' init \(hosts.joined(separator: " ")) >/dev/null"
    ) == 0
      && system("'\(simulator)' --state '\(world)' settings ready-delay=0s >/dev/null") == 0
  }

  private static func name(_ index: Int) -> String {
    index < mixed ? "node\(index + 1)" : "worker\(index - mixed + 1)"
  }

  /// 10.0.0.1 to 10.0.0.100: the simulator plays them; nothing is ever sent there.
  private static func address(_ index: Int) -> String {
    "10.0.\((index + 1) / 256).\((index + 1) % 256)"
  }

  private static func topology(simulator: String, world: String) -> String {
    var text = """
      apiVersion: mktopo/v1
      kind: Topology
      cluster:
        name: bench
        version: "1.28"
      defaults:
        connection: {type: local}
        microk8s: ["\(simulator)", "--state", "\(world)", "--host", "{address}"]
      policy:
        readyTimeout: 60s
      nodes:

      """
    for index in 0..<(mixed + workers) {
      text += "  - name: \(name(index))\n"
      text += "    address: \(address(index))\n"
      text += "    role: \(index < mixed ? "mixed" : "worker")\n"
    }
    return text
  }

  /// Commits the topology with the real git to a working clone, pushes it to the bare
  /// repository `remote.git`, and returns the commit.
  private static func commitTopology(_ text: String, in directory: String) -> String? {
    let work = directory + "/work"
    guard
      system(
        "cd '\(directory)' && git init --quiet --bare --initial-branch=main remote.git "
          + "&& git init --quiet --initial-branch=main work "
          + "&& git -C work remote add origin '\(directory)/remote.git' && mkdir work/clusters"
      ) == 0, write(text, to: work + "/" + path),
      system(
        "git -C '\(work)' add --all && git -C '\(work)' -c user.name=bench "
          + "-c user.email=bench@example.invalid -c commit.gpgSign=false commit --quiet "
          + "-m 'bench topology' && git -C '\(work)' push --quiet origin main"
      ) == 0
    else { return nil }
    return capture("git -C '\(work)' rev-parse HEAD")
  }

  /// Writes `text` to a new file at `path`.
  private static func write(_ text: String, to path: String) -> Bool {
    guard let file = fopen(path, "w") else { return false }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, file)
    return fclose(file) == 0 && written == bytes.count
  }

  /// The standard output of a shell command, without the final newline; nil when it
  /// fails.
  private static func capture(_ command: String) -> String? {
    guard let pipe = popen(command, "r") else { return nil }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, pipe)
      if count <= 0 { break }
      output += buffer[0..<count]
    }
    guard pclose(pipe) == 0 else { return nil }
    var text = String(decoding: output, as: UTF8.self)
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
