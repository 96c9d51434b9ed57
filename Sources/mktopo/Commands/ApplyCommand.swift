import ArgumentParser
import MembershipCore
import MembershipRuntime

struct ApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Change the cluster until its membership matches the topology.",
    discussion: """
      Observes the cluster, shows the plan, asks for confirmation (type 'yes'; or pass \
      --auto-approve), then carries out one change at a time, observing the cluster \
      again after each, until nothing is left but what is blocked. It carries out only \
      the changes approved: a change the cluster comes to need that the plan did not \
      show stops it. 'mktopo apply PLAN.json' carries out a plan saved with 'mktopo plan \
      --out', with the topology saved in it. SIGINT, SIGTERM, SIGHUP or a closed output \
      lets the change in flight finish, then stops. Exit status: 0 converged, 1 invalid \
      topology, failure, refusal, interruption or a blocked change, 64 usage error.
      """
  )

  @OptionGroup var cluster: ClusterOptions

  @Flag(help: "Apply without asking for confirmation.")
  var autoApprove = false

  @Option(
    help: ArgumentHelp(
      "A plan saved with 'mktopo plan --out' (also given as the argument): carried out as it is, without asking, and only while the cluster is still as it was observed for it.",
      valueName: "plan.json"
    )
  )
  var plan: String?

  /// The saved plan given as the argument, when it is one (JSON rather than a topology's
  /// YAML), and the topology options without it; the file is looked at once.
  func inputs() -> (savedPlan: String?, topology: ClusterOptions) {
    guard let argument = cluster.fileArgument, SavedPlanFile.looksLikePlan(argument) else {
      return (nil, cluster)
    }
    var options = cluster
    options.fileArgument = nil
    return (argument, options)
  }

  @Flag(help: "Plan even when the file names none of the cluster's nodes or would remove them all.")
  var allowForeignTopology = false

  @Option(
    name: .shortAndLong,
    help:
      "Output format: text, or json (one JSON object per event and line on standard output; needs --auto-approve or a saved plan)."
  )
  var output: OutputFormat = .text

  func validate() throws {
    let (savedPlan, options) = inputs()
    if savedPlan != nil, plan != nil {
      throw ValidationError("give the saved plan once: as an argument or with --plan")
    }
    if savedPlan == nil, plan == nil { _ = try options.requiredFile() }
    if output == .json, savedPlan == nil, plan == nil, !autoApprove {
      throw ValidationError(
        "--output json cannot ask for confirmation: pass --auto-approve, or apply a saved plan"
      )
    }
  }

  func run() async throws {
    let output = ApplyOutput(format: output)
    do {
      try await run(output)
    } catch {
      // A JSON stream always ends with a summary or an error record.
      output.failed(error)
      throw error
    }
  }

  private func run(_ output: ApplyOutput) async throws {
    let (savedPlan, options) = inputs()
    let saved = try (savedPlan ?? plan).map(SavedPlanFile.read)
    let topology = try saved.map { try $0.topology(given: options) } ?? options.loadTopology()
    guard let state = StateDirectory.resolve(cluster.stateDir) else {
      throw ValidationError("no state directory: set HOME, XDG_STATE_HOME or --state-dir")
    }
    let lock: ApplyLock
    do {
      lock = try ApplyLock.acquire(stateDirectory: state, cluster: topology.cluster.name)
    } catch {
      output.error("\(error)")
      throw ExitCode(1)
    }
    do {
      try await apply(topology, state: state, saved: saved, output)
    } catch {
      lock.release()
      throw error
    }
    lock.release()
  }

  /// Everything `apply` does while it holds the lock; ssh connections are shared by
  /// every command of the run and closed at its end, however it ends.
  private func apply(
    _ topology: Topology,
    state: String,
    saved: SavedPlanFile?,
    _ output: ApplyOutput
  ) async throws {
    StopSignal.install()
    let journal = Journal(stateDirectory: state, cluster: topology.cluster.name)
    let interrupted = journal.read()
    if let interrupted {
      output.note(
        "a previous run stopped during \(interrupted.action) \(interrupted.node), step "
          + "\(interrupted.stepIndex) of \(interrupted.stepCount) (\(interrupted.verb) on "
          + "\(interrupted.host), \(interrupted.startedAt)); observing the cluster to carry "
          + "on from what it shows."
      )
      // Reported, and nothing is in flight while this run holds the lock.
      try? journal.clear()
    }
    let transports = TransportFactory(stateDirectory: state)
    let engine = MicroK8sEngine(topology: topology, transports: transports)
    do {
      try await apply(engine, journal: journal, interrupted: interrupted, saved, output)
    } catch {
      await transports.closeConnections(to: topology.nodes)
      throw error
    }
    await transports.closeConnections(to: topology.nodes)
  }

  private func apply(
    _ engine: MicroK8sEngine,
    journal: Journal,
    interrupted: JournalEntry?,
    _ saved: SavedPlanFile?,
    _ output: ApplyOutput
  ) async throws {
    let topology = engine.topology
    let options = Planner.Options(allowForeignTopology: allowForeignTopology)
    var (first, observed) = try await firstPlan(
      engine,
      state: journal.stateDirectory,
      options: options,
      saved: saved,
      output
    )
    // A saved plan approves exactly its own changes, found again just now.
    let approval = saved.map { _ in Approval(first.changes) }
    if try await finishInterruptedJoin(interrupted, observed: observed, engine, output) {
      // The node it waited for was not Ready when the plan was made: plan from what the
      // cluster shows now, so that the plan shown is the one carried out.
      (first, observed) = try await firstPlan(
        engine,
        state: journal.stateDirectory,
        options: options,
        saved: nil,
        output
      )
    }
    output.plan(first)
    if let refusal = first.blocked.first(where: \.stopsApply) {
      output.error("nothing was changed: \(refusal.reason)")
      throw ExitCode(1)
    }
    guard !first.changes.isEmpty else {
      guard first.blocked.isEmpty else {
        let count = first.blocked.count == 1 ? "1 change is" : "\(first.blocked.count) changes are"
        output.error(
          "nothing was changed: \(count) blocked, and nothing else is left to do; "
            + "fix what each reason above says, then run apply again."
        )
        throw ExitCode(1)
      }
      adoptIdentity(observed, topology, state: journal.stateDirectory)
      output.nothingToDo(first)
      return
    }
    if let approval, let unapproved = Optional(approval.unapproved(in: first.changes)),
      !unapproved.isEmpty
    {
      output.error(
        "nothing was changed: after finishing the interrupted join the cluster needs "
          + "changes the saved plan does not hold:\n"
          + unapproved.map { "  " + PlanRenderer.title($0) }.joined(separator: "\n")
          + "\nMake a new plan."
      )
      throw ExitCode(1)
    }
    // A saved plan was approved when it was made and reviewed; a live one is approved now.
    if saved == nil, !autoApprove { try Confirmation.ask(first) }
    adoptIdentity(observed, topology, state: journal.stateDirectory)

    var reconciler = Reconciler(executor: Executor(engine: engine), options: options)
    reconciler.approval = approval
    reconciler.shouldStop = { StopSignal.requested }
    reconciler.identityRecord = IdentityRecord(
      stateDirectory: journal.stateDirectory,
      cluster: topology.cluster.name
    )
    // The confirmed pass settled which cluster this is (a founder's, before any is
    // recorded): every later pass must read that one.
    reconciler.observer.expectedIdentity = observed.identity
    output.announce("\nApplying to cluster \(topology.cluster.name), one change at a time.\n")
    let clock = ContinuousClock()
    let start = clock.now
    // The first stop signal is answered at once with what apply finishes first.
    let stopWatch = Task {
      while !Task.isCancelled {
        if let cause = StopSignal.cause {
          output.noticeStop(cause: cause)
          return
        }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
    let outcome = await reconciler.run(
      startingFrom: ClusterObserver.Observation(cluster: observed)
    ) { event in
      // The journal's entry is written as each step starts, before its command runs.
      if case .execution(.stepStarted(let change, let index, let step)) = event {
        try? journal.record(step, index: index, of: change)
      }
      output.handle(event)
    }
    stopWatch.cancel()
    output.finish()
    // Only a run that ended between changes leaves no step in flight.
    try? journal.clear()
    output.summary(ApplySummary(outcome: outcome, elapsed: clock.now - start))
    if !outcome.converged { throw ExitCode(1) }
  }
}
