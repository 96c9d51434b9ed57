import FoundationEssentials

/// One run of mktopo with the harness around it: actions before, a sampler and timed
/// actions during, maybe a SIGKILL, then the checks.
extension SeedRun {
  @discardableResult
  func perform(_ recipe: RunRecipe, label: String) async throws -> RunRecord {
    guard var watch else { throw HarnessError("the world was not built") }
    let number = runs.count + 1
    let file = scenario.files[recipe.file]
    let fileName = "topology-\(recipe.file + 1).yaml"
    let prefix = "runs/" + (number < 10 ? "0" : "") + "\(number)-\(recipe.command.rawValue)"
    reproduction.add("")
    reproduction.add("# run \(number): \(label)")
    for action in recipe.before {
      reproduction.simulator(action.arguments, exitCode: driver.run(action.arguments).exitCode)
    }
    let start = try driver.snapshot()
    violations += watch.observe(start, file: file, run: number)
    let events = HarnessEvents()
    let process = try MktopoProcess.start(
      settings.mktopo,
      recipe.arguments(file: directory + "/" + fileName, stateDirectory: stateDirectory),
      environment: environment,
      stdout: directory + "/\(prefix).stdout",
      stderr: directory + "/\(prefix).stderr"
    )
    let began = ContinuousClock.now
    let sampler = Sampler(driver: driver, stateDirectory: stateDirectory)
    let sampling = Task { [watch, tokens, leaks] in
      await sampler.run(
        watch: watch,
        quorum: QuorumWatch(start: start),
        file: file,
        events: events,
        run: number,
        tokens: tokens,
        leaks: leaks
      )
    }
    let acting = Task { [driver] in
      for timed in recipe.during {
        try? await Task.sleep(until: began + .milliseconds(Int(timed.offset * 1000)))
        guard !Task.isCancelled, process.poll() == nil else { return }
        // Recorded first: a sample taken in between must already forgive it.
        events.record(timed.action, offset: (ContinuousClock.now - began).seconds)
        _ = driver.run(timed.action.arguments)
      }
    }
    let killing = Task { () -> Double? in
      guard let after = recipe.killAfter else { return nil }
      try? await Task.sleep(until: began + .milliseconds(Int(after * 1000)))
      guard !Task.isCancelled, process.poll() == nil else { return nil }
      process.kill()
      return (ContinuousClock.now - began).seconds
    }
    let end = await process.wait(timeout: settings.runTimeout)
    let seconds = (ContinuousClock.now - began).seconds
    acting.cancel()
    killing.cancel()
    await acting.value
    let killedAt = await killing.value
    sampling.cancel()
    // One more sample once it has ended: a quick run may end before the first.
    var sampled = await sampling.value
    let finish = try driver.snapshot()
    sampled.take(finish, file: file, events: events, run: number)
    sampled.scan(stateDirectory, run: number)
    violations += sampled.violations
    tokens.formUnion(sampled.tokens)
    leaks = sampled.leaks
    self.watch = sampled.watch
    let record = RunRecord(
      number: number,
      command: recipe.command,
      label: label,
      arguments: recipe.arguments(file: fileName, stateDirectory: "$STATE"),
      outputPrefix: prefix,
      end: end,
      killedByHarness: killedAt != nil,
      seconds: seconds,
      stdout: read(prefix + ".stdout"),
      stderr: read(prefix + ".stderr")
    )
    runs.append(record)
    replay(record, events: events.all, killedAt: killedAt)
    check(record, start: start, finish: finish, file: file, excused: events.touchedHosts)
    return record
  }

  /// mktopo's environment: the binaries and a refusing `ssh` on PATH, the seed's world.
  var environment: [String: String] {
    [
      "PATH": "\(settings.guardDirectory):\(settings.binDirectory):/usr/bin:/bin",
      "HOME": directory,
      "MICROK8S_SIM_STATE": driver.stateDirectory,
      "USER": "chaos",
      "LANG": "C.UTF-8",
    ]
  }

  private func read(_ relative: String) -> String {
    let data = FileManager.default.contents(atPath: directory + "/" + relative) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// The run in the replay script: in the background, with the harness's actions and the
  /// kill after the delays they had.
  private func replay(_ record: RunRecord, events: [HarnessEvents.Event], killedAt: Double?) {
    let command = (["mktopo"] + record.arguments).map(Reproduction.quote).joined(separator: " ")
    reproduction.add(
      "\(command) > replay/\(record.outputPrefix).stdout 2> replay/\(record.outputPrefix).stderr &"
    )
    reproduction.add("pid=$!")
    var moments = events.map { (offset: $0.offset, line: $0.action.arguments) }
    if let killedAt { moments.append((killedAt, [])) }
    var elapsed = 0.0
    for moment in moments.sorted(by: { $0.offset < $1.offset }) {
      let delay = max(0, moment.offset - elapsed)
      elapsed = moment.offset
      let action =
        moment.line.isEmpty
        ? "kill -KILL $pid"
        : (["microk8s-sim"] + moment.line).map(Reproduction.quote).joined(separator: " ")
      reproduction.add("sleep \(Self.format(delay)); \(action)  # at \(Self.format(elapsed)) s")
    }
    let seen = record.end?.description ?? "killed after the timeout"
    reproduction.add(
      "wait $pid; echo \"run \(record.number) (\(record.label)): exit $? (the harness saw \(seen))\""
    )
  }

  static func format(_ seconds: Double) -> String {
    let milliseconds = Int((seconds * 1000).rounded())
    let fraction = String(milliseconds % 1000)
    return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }
}
