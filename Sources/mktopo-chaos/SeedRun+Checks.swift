/// The checks after each run, and the convergence phase that ends a seed.
extension SeedRun {
  /// Exit status, removals against the file, and a claimed success against the world.
  func check(
    _ record: RunRecord,
    start: Snapshot,
    finish: Snapshot,
    file: TopologyRecipe,
    excused: Set<String>
  ) {
    violations += ExitCheck.violations(
      end: record.end,
      killedByHarness: record.killedByHarness,
      stderr: record.stderr,
      timeout: settings.runTimeout,
      run: record.number
    )
    let removals = RemovalCheck(
      start: start,
      end: finish,
      file: file,
      cluster: watch?.identity.file,
      run: record.number
    ).check()
    violations += removals.violations
    roleChanges += removals.roleChanges.map { ($0, record.number) }
    if !record.killedByHarness, let cluster = watch?.identity.file {
      violations += Self.strayCordons(
        start: start,
        finish: finish,
        cluster: cluster,
        output: record.stdout + record.stderr,
        run: record.number
      )
    }
    guard record.claimsSuccess else { return }
    let problems = MatchCheck(
      file: file,
      snapshot: finish,
      cluster: watch?.identity.file,
      output: record.stdout + record.stderr,
      excused: excused
    ).mismatches()
    guard !problems.isEmpty else { return }
    let claim =
      switch record.command {
      case .apply, .reconcile: "exited 0"
      case .plan, .planDetailed:
        record.stdout.contains("No changes") ? "printed \"No changes\"" : "exited 0"
      case .status: "succeeded"
      }
    violations.append(
      Violation(
        .truthfulSuccess,
        "\(record.command.rawValue) \(claim), but: " + problems.joined(separator: "; "),
        run: record.number
      )
    )
  }

  /// Members of the file's cluster cordoned by a run that ended on its own: a change that
  /// stops before its node leaves must uncordon it, unless mktopo said it could not.
  static func strayCordons(
    start: Snapshot,
    finish: Snapshot,
    cluster: Int,
    output: String,
    run: Int
  ) -> [Violation] {
    let before = start.cordonedMembers(cluster)
    return finish.cordonedMembers(cluster).subtracting(before).sorted().compactMap { name in
      guard !output.contains("\(name) is still cordoned: uncordoning it failed too") else {
        return nil
      }
      return Violation(
        .nothingHalfDone,
        "\(name) is a member left cordoned, and the output does not say so",
        run: run
      )
    }
  }

  /// Clears every fault, brings every host up and started, then applies until it
  /// converges or the attempts run out.
  ///
  /// A file the oracle finds feasible must converge; a left-over role change must have
  /// finished.
  func converge() async throws {
    let file = scenario.files.count - 1
    reproduction.add("")
    reproduction.add("# convergence: every fault cleared, every host up and started")
    var arguments = [["fault", "clear"]]
    for host in try driver.snapshot().world.hosts {
      if !host.reachable { arguments.append(["host", host.address, "up"]) }
      if !host.running { arguments.append(["host", host.address, "start"]) }
    }
    for argument in arguments {
      reproduction.simulator(argument, exitCode: driver.run(argument).exitCode)
    }
    let settle = max(scenario.world.readyDelay, scenario.world.rebalanceDelay) + 500
    try await Task.sleep(for: .milliseconds(settle))
    let world = try driver.snapshot()
    doubt = FeasibilityOracle(
      file: scenario.files[file],
      snapshot: world,
      cluster: watch?.identity.file,
      earlier: Array(scenario.files[..<file])
    ).doubt()
    var last: RunRecord?
    for attempt in 1...settings.convergenceAttempts {
      last = try await perform(.calm(.apply, file: file), label: "apply, convergence \(attempt)")
      if last?.exitCode == 0 { break }
      try await Task.sleep(for: .milliseconds(scenario.world.rebalanceDelay + 300))
    }
    guard doubt == nil, let last else { return }
    if last.exitCode != 0 {
      violations.append(
        Violation(
          .convergence,
          "with every host up and no fault, the oracle finds the file feasible, yet "
            + "\(settings.convergenceAttempts) applies did not converge: \(last.tail)",
          run: last.number
        )
      )
    }
    finishRoleChanges(scenario.files[file], last: last)
  }

  /// A host that left the cluster for a role change must be back in it.
  private func finishRoleChanges(_ file: TopologyRecipe, last: RunRecord) {
    guard let cluster = watch?.identity.file, let world = try? driver.snapshot() else { return }
    var seen: Set<String> = []
    for (address, run) in roleChanges where seen.insert(address).inserted {
      guard let host = world.host(address), file.node(named: host.nodeName)?.absent == false,
        world.membership(address) != cluster
      else { continue }
      violations.append(
        Violation(
          .accidentalRemoval,
          "\(host.nodeName) (\(address)) left the file's cluster for a role change in run "
            + "\(run) and is still out after convergence: \(world.whereabouts(address))",
          run: last.number
        )
      )
    }
  }
}
