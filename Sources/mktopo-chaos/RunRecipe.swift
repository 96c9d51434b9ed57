/// One run of mktopo in a scenario, with what the harness does to the world around it.
struct RunRecipe: Sendable {
  enum Command: String, Sendable {
    case plan
    case planDetailed = "plan-detailed"
    case apply
    case status
    case reconcile

    /// Whether the run changes the cluster, and so is worth interrupting.
    var changes: Bool { self == .apply || self == .reconcile }
  }

  /// A simulator action at a moment of the run, in seconds after it started.
  struct TimedAction: Sendable {
    var offset: Double
    var action: SimulatorAction
  }

  var command: Command
  /// Which of the scenario's files it reads.
  var file: Int
  /// Done before the run starts, so mktopo sees it.
  var before: [SimulatorAction]
  /// Done while the run goes on (skipped once it has ended).
  var during: [TimedAction]
  /// When the harness kills mktopo with SIGKILL, if it does.
  var killAfter: Double?

  /// mktopo's arguments.
  func arguments(file path: String, stateDirectory: String) -> [String] {
    let common = ["-f", path, "--state-dir", stateDirectory]
    switch command {
    case .plan: return ["plan"] + common
    case .planDetailed: return ["plan"] + common + ["--detailed-exitcode"]
    case .apply: return ["apply"] + common + ["--auto-approve"]
    case .status: return ["status"] + common
    case .reconcile: return ["reconcile", "--once"] + common
    }
  }

  /// `apply --auto-approve` with nothing done around it: the convergence runs.
  static func calm(_ command: Command, file: Int) -> RunRecipe {
    RunRecipe(command: command, file: file, before: [], during: [], killAfter: nil)
  }

  static func generate(
    file: Int,
    addresses: [String],
    _ random: inout SplitMix64
  ) -> RunRecipe {
    let command = random.pick([
      Command.apply, .apply, .apply, .apply, .reconcile, .reconcile, .plan, .planDetailed,
      .planDetailed, .status,
    ])
    var run = RunRecipe.calm(command, file: file)
    if random.chance(0.3) {
      run.before.append(SimulatorAction.random(on: addresses, &random))
    }
    let events = command.changes ? (random.chance(0.6) ? random.int(1...3) : 0) : 0
    var offset = 0.0
    for _ in stride(from: 0, to: events, by: 1) {
      offset += Double(random.int(50...1500)) / 1000
      run.during.append(TimedAction(offset: offset, action: .random(on: addresses, &random)))
    }
    if command.changes && random.chance(0.2) {
      run.killAfter = Double(random.int(50...2500)) / 1000
    }
    return run
  }
}
