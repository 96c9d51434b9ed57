import Glibc
import MembershipCore
import MembershipRuntime

/// Converges a simulated cluster from one node to 7 mixed nodes and 20 workers.
///
/// Sets the time beside the sum of the delays the simulator imposes (each joined node
/// stays NotReady for `readyDelay`, and apply must wait for Ready): what is left is
/// mktopo's own overhead. Target: under 5% of the sum. Then counts the engine commands
/// of a converged no-op pass. Target: 2, whatever the size.
enum ApplyBenchmark {
  static let mixed = 7
  static let workers = 20
  /// Far below a real join (tens of seconds), so the figure is a hard one to meet.
  static let readyDelay: Duration = .seconds(3)

  static func run() async -> Bool {
    print()
    return await withSimulatorScratch(run(simulator:directory:))
  }

  private static func run(simulator: String, directory: String) async -> Bool {
    let world = directory + "/world"
    let hosts = (0..<(mixed + workers)).map { index in
      "--host 10.0.0.\(index + 1)=\(index < mixed ? "node\(index + 1)" : "worker\(index - mixed + 1)")"
    }
    let delay = Int(readyDelay.components.seconds)
    guard
      system("'\(simulator)' --state '\(world)' init \(hosts.joined(separator: " ")) >/dev/null")
        == 0,
      system("'\(simulator)' --state '\(world)' settings ready-delay=\(delay)s >/dev/null") == 0
    else {
      print("microk8s-sim could not create the world")
      return false
    }
    let topology = self.topology(simulator: simulator, world: world)
    let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
    var reconciler = Reconciler(executor: Executor(engine: engine))
    reconciler.backoff = .milliseconds(100)
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = await reconciler.run { _ in }
    let elapsed = clock.now - start
    guard outcome.converged, outcome.applied.count == mixed + workers - 1 else {
      print(
        "apply did not converge: \(outcome.failure.map { "\($0)" } ?? "no failure"), "
          + "\(outcome.applied.count) changes"
      )
      return false
    }
    let commands = engine.commandsRun
    let sum = readyDelay * (mixed + workers - 1)
    let overhead = elapsed - sum
    let share = milliseconds(overhead) / milliseconds(sum) * 100
    print(
      "apply: converge 1 -> \(mixed) mixed + \(workers) workers on microk8s-sim "
        + "(ready-delay \(delay)s per join)"
    )
    print(
      "  wall \(format(milliseconds(elapsed) / 1000)) s, simulator delays "
        + "\(format(milliseconds(sum) / 1000)) s, mktopo overhead "
        + "\(format(milliseconds(overhead) / 1000)) s = \(format(share))% (target < 5%)  "
        + (share < 5 ? "ok" : "OVER TARGET")
    )
    let perChange = milliseconds(overhead) / Double(outcome.applied.count)
    print(
      "  engine commands: \(commands) for \(outcome.applied.count) changes; overhead "
        + "\(format(perChange)) ms per change (observe, probe, add-node, join, checks)"
    )
    let before = engine.commandsRun
    let noOp = await ClusterObserver(engine: engine).observe()
    let passCommands = engine.commandsRun - before
    let empty = Planner.plan(
      desired: topology,
      observed: noOp.cluster,
      fingerprint: "bench"
    ).isEmpty
    print(
      "  converged no-op pass: \(passCommands) engine commands (target 2)  "
        + (passCommands == 2 && empty ? "ok" : "OVER TARGET")
    )
    return empty
  }

  private static func topology(simulator: String, world: String) -> Topology {
    let track = Track(major: 1, minor: 28)
    let nodes = (0..<(mixed + workers)).map { index in
      NodeSpec(
        name: index < mixed ? "node\(index + 1)" : "worker\(index - mixed + 1)",
        address: .ipv4(0x0A00_0001 + UInt32(index)),
        role: index < mixed ? .mixed : .worker,
        version: track,
        connection: Connection(type: .local),
        microk8s: [simulator, "--state", world, "--host", "{address}"]
      )
    }
    return Topology(
      cluster: ClusterSpec(name: "bench", version: track),
      policy: Policy(readyTimeout: .seconds(60)),
      nodes: nodes
    )
  }
}
