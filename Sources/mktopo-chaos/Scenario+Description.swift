/// `scenario.txt` in a kept seed's directory: what the seed drew, in words.
extension Scenario {
  var description: String {
    var lines = ["seed \(seed)", "", "hosts:"]
    for host in world.hosts {
      var facts = [host.part.rawValue, host.role.rawValue, "track \(host.track)"]
      if host.joined { facts.append(host.address == world.founder ? "founder" : "joined") }
      if host.bare { facts.append("bare: no MicroK8s") }
      lines.append("  \(host.address) \(host.hostname): " + facts.joined(separator: ", "))
    }
    for ghost in world.ghosts { lines.append("ghost: \(ghost.address) (\(ghost.kind.rawValue))") }
    for address in world.handLeft { lines.append("left by hand: \(address)") }
    for missing in world.lacking {
      lines.append("no machine: \(missing.name) \(missing.address)")
    }
    for command in world.workloads.commands {
      lines.append("workload: " + command.joined(separator: " "))
    }
    lines.append("ready-delay \(world.readyDelay) ms, rebalance-delay \(world.rebalanceDelay) ms")
    for action in world.initial {
      lines.append("before the first run: " + action.arguments.joined(separator: " "))
    }
    lines.append("")
    for (index, run) in runs.enumerated() {
      var words = ["run \(index + 1): \(run.command.rawValue) with topology-\(run.file + 1).yaml"]
      words += run.before.map { "before: " + $0.arguments.joined(separator: " ") }
      words += run.during.map {
        "at \(SeedRun.format($0.offset)) s: " + $0.action.arguments.joined(separator: " ")
      }
      if let kill = run.killAfter { words.append("SIGKILL at \(SeedRun.format(kill)) s") }
      lines.append(words.joined(separator: "; "))
    }
    lines.append("then: faults cleared, hosts up, apply until converged")
    return lines.joined(separator: "\n") + "\n"
  }
}
