/// Creates a scenario's world with simulator commands: standalone hosts, then the
/// clusters formed with add-node and join (tokens the harness picks), then the accidents.
struct WorldBuilder {
  var driver: SimulatorDriver
  var reproduction: Reproduction
  /// For the join tokens of the set-up, drawn apart from the scenario's own choices.
  var random: SplitMix64

  mutating func build(_ recipe: WorldRecipe) throws {
    try must(["init"] + recipe.hosts.flatMap { ["--host", $0.initSpec] })
    // Set-up joins settle at once; the scenario's delays apply from mktopo's first run.
    try must(["settings", "ready-delay=0", "rebalance-delay=0", "node-monitor-grace=0"])
    if let founder = recipe.founder {
      let members = recipe.hosts.filter {
        $0.part == .fileCluster && $0.joined && $0.address != founder
      }
      try form(founder: founder, members)
    }
    if let founder = recipe.foreignFounder {
      try form(
        founder: founder,
        recipe.hosts.filter { $0.part == .foreign && $0.address != founder }
      )
    }
    for command in recipe.workloads.commands {
      try must(command)
    }
    for (address, kind) in recipe.ghosts {
      guard let founder = recipe.founder, let host = recipe.host(address) else { continue }
      try must(["--host", founder, "kubectl", "delete", "node", host.nodeName])
      switch kind {
      case .alive: break
      case .gone: try must(["host", address, "down"])
      case .reinstalled: try must(["host", address, "reinstall"])
      }
    }
    for address in recipe.handLeft {
      // `leave` may refuse (the only voter, no quorum): the world is then what it is.
      _ = run(["--host", address, "leave"])
    }
    try must([
      "settings", "ready-delay=\(recipe.readyDelay)ms",
      "rebalance-delay=\(recipe.rebalanceDelay)ms",
    ])
    for action in recipe.initial {
      _ = run(action.arguments)
    }
  }

  /// Joins `members` to the founder one at a time, as the MicroK8s guide does.
  private mutating func form(founder: String, _ members: [HostRecipe]) throws {
    for member in members {
      let token = random.hex(32)
      try must(["--host", founder, "add-node", "--token", token, "--format", "token-check"])
      let join = ["--host", member.address, "join", "\(founder):25000/\(token)"]
      try must(member.role == .worker ? join + ["--worker"] : join)
    }
  }

  private func run(_ arguments: [String]) -> Int32 {
    let outcome = driver.run(arguments)
    reproduction.simulator(arguments, exitCode: outcome.exitCode)
    return outcome.exitCode
  }

  private func must(_ arguments: [String]) throws {
    let outcome = driver.run(arguments)
    reproduction.simulator(arguments, exitCode: outcome.exitCode)
    guard outcome.exitCode == 0 else {
      throw HarnessError(
        "set-up command `microk8s-sim \(arguments.joined(separator: " "))` exited "
          + "\(outcome.exitCode): \(outcome.stdout)\(outcome.stderr)"
      )
    }
  }
}
