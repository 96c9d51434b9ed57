import Glibc
import MicroK8sSimulator

/// One seed's simulated world, driven in-process through the simulator's own command
/// line (the same code `microk8s-sim` runs, under the same file lock), so shaping and
/// sampling the world costs no process; mktopo itself runs the real `microk8s-sim`.
struct SimulatorDriver: Sendable {
  let stateDirectory: String

  /// Runs `microk8s-sim ARGUMENTS` against this world.
  func run(_ arguments: [String]) -> CommandOutcome {
    SimulatorCommandLine.run(
      arguments,
      environment: ["MICROK8S_SIM_STATE": stateDirectory, "USER": "chaos"],
      now: Self.now()
    )
  }

  /// The world now, read under the lock and settled (due role changes applied) on the
  /// copy, as `show` would print it; the file itself is left alone.
  func snapshot() throws -> Snapshot {
    let store = StateStore(directory: stateDirectory)
    do {
      var world = try store.update { $0 }
      let now = Self.now()
      world.settle(now: now)
      return Snapshot(world: world, time: now)
    } catch {
      throw HarnessError("cannot read the simulated world in \(stateDirectory): \(error)")
    }
  }

  /// Wall-clock seconds, as `microk8s-sim` reads them.
  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
  }
}

/// A failure of the harness itself (not of mktopo): reported apart from violations.
struct HarnessError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}
