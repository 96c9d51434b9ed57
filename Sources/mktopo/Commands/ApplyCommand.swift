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

  func validate() throws {
    let (savedPlan, options) = inputs()
    if savedPlan != nil, plan != nil {
      throw ValidationError("give the saved plan once: as an argument or with --plan")
    }
    if savedPlan == nil, plan == nil { _ = try options.requiredFile() }
  }

  func run() async throws {
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
      Terminal.write("error: \(error)\n", to: .standardError)
      throw ExitCode(1)
    }
    do {
      try await apply(topology, state: state, saved: saved)
    } catch {
      lock.release()
      throw error
    }
    lock.release()
  }

  /// Everything `apply` does while it holds the lock; ssh connections are shared by
  /// every command of the run and closed at its end, however it ends.
  private func apply(_ topology: Topology, state: String, saved: SavedPlanFile?) async throws {
    StopSignal.install()
    let journal = Journal(stateDirectory: state, cluster: topology.cluster.name)
    let interrupted = journal.read()
    if let interrupted {
      Terminal.write(
        "note: a previous run stopped during \(interrupted.action) \(interrupted.node), step "
          + "\(interrupted.stepIndex) of \(interrupted.stepCount) (\(interrupted.verb) on "
          + "\(interrupted.host), \(interrupted.startedAt)); observing the cluster to carry "
          + "on from what it shows.\n",
        to: .standardError
      )
      // Reported, and nothing is in flight while this run holds the lock.
      try? journal.clear()
    }
    let transports = TransportFactory(stateDirectory: state)
    let engine = MicroK8sEngine(topology: topology, transports: transports)
    do {
      try await apply(engine, journal: journal, interrupted: interrupted, saved)
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
    _ saved: SavedPlanFile?
  ) async throws {
    let topology = engine.topology
    let options = Planner.Options(allowForeignTopology: allowForeignTopology)
    var (first, observed) = try await firstPlan(
      engine,
      state: journal.stateDirectory,
      options: options,
      saved: saved
    )
    // A saved plan approves exactly its own changes, found again just now.
    let approval = saved.map { _ in Approval(first.changes) }
    if try await finishInterruptedJoin(interrupted, observed: observed, engine: engine) {
      // The node it waited for was not Ready when the plan was made: plan from what the
      // cluster shows now, so that the plan shown is the one carried out.
      (first, observed) = try await firstPlan(
        engine,
        state: journal.stateDirectory,
        options: options,
        saved: nil
      )
    }
    Terminal.write(PlanRenderer.text(first), to: .standardOutput)
    if let refusal = first.blocked.first(where: \.stopsApply) {
      Terminal.write("error: nothing was changed: \(refusal.reason)\n", to: .standardError)
      throw ExitCode(1)
    }
    guard !first.changes.isEmpty else {
      guard first.blocked.isEmpty else {
        let count = first.blocked.count == 1 ? "1 change is" : "\(first.blocked.count) changes are"
        Terminal.write(
          "error: nothing was changed: \(count) blocked, and nothing else is left to do; "
            + "fix what each reason above says, then run apply again.\n",
          to: .standardError
        )
        throw ExitCode(1)
      }
      adoptIdentity(observed, topology, state: journal.stateDirectory)
      return
    }
    if let approval, let unapproved = Optional(approval.unapproved(in: first.changes)),
      !unapproved.isEmpty
    {
      Terminal.write(
        "error: nothing was changed: after finishing the interrupted join the cluster needs "
          + "changes the saved plan does not hold:\n"
          + unapproved.map { "  " + PlanRenderer.title($0) }.joined(separator: "\n")
          + "\nMake a new plan.\n",
        to: .standardError
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
    let live = Terminal.isInteractive(.standardOutput)
    let cluster = topology.cluster.name
    let progress = ApplyProgress(live: live) { change, index, step in
      try? journal.record(step, index: index, of: change)
    }
    Terminal.write(
      "\nApplying to cluster \(cluster), one change at a time.\n",
      to: .standardOutput
    )
    let clock = ContinuousClock()
    let start = clock.now
    // The first stop signal is answered at once with what apply finishes first.
    let stopWatch = Task {
      while !Task.isCancelled {
        if let cause = StopSignal.cause {
          progress.noticeStop(cause: cause)
          return
        }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
    let outcome = await reconciler.run(
      startingFrom: ClusterObserver.Observation(cluster: observed)
    ) { progress.handle($0) }
    stopWatch.cancel()
    progress.finish()
    // Only a run that ended between changes leaves no step in flight.
    try? journal.clear()
    let summary = ApplySummary(outcome: outcome, elapsed: clock.now - start)
    Terminal.write("\n" + summary.text, to: outcome.converged ? .standardOutput : .standardError)
    if !outcome.converged { throw ExitCode(1) }
  }

  /// Finishes the wait of a join that an interrupted run began (`InterruptedJoin`);
  /// true when it waited, and the node is Ready now.
  private func finishInterruptedJoin(
    _ interrupted: JournalEntry?,
    observed: ObservedCluster,
    engine: MicroK8sEngine
  ) async throws -> Bool {
    let result = await InterruptedJoin.finish(interrupted, observed: observed, engine: engine) {
      Terminal.write(
        "Finishing the interrupted join of \($0): waiting until it is Ready.\n",
        to: .standardOutput
      )
    }
    switch result {
    case .nothingToFinish: return false
    case .finished: return true
    case .stillNotReady: break
    }
    guard case .stillNotReady(let node, let waited) = result else { return false }
    Terminal.write(
      "error: \(node) joined in an interrupted run but is still not Ready after "
        + "\(ApplyProgress.format(waited)) (policy.readyTimeout); check the node "
        + "('microk8s inspect' on it) before running apply again.\n",
      to: .standardError
    )
    throw ExitCode(1)
  }

  /// Observes and plans once, for the operator to confirm; with --plan, refuses when
  /// the cluster is no longer what the saved plan was made from.
  private func firstPlan(
    _ engine: MicroK8sEngine,
    state: String,
    options: Planner.Options,
    saved: SavedPlanFile?
  ) async throws -> (Plan, ObservedCluster) {
    let observed = try await cluster.observe(
      through: engine,
      state: state,
      adopting: allowForeignTopology,
      changes: true
    ).cluster
    if let saved, saved.plan.observedFingerprint != observed.fingerprint {
      Terminal.write(
        "error: the cluster has changed since the plan in \(saved.path) was made (observed "
          + "fingerprint \(observed.fingerprint.prefix(12)), the plan's "
          + "\(saved.plan.observedFingerprint.prefix(12))); nothing was changed. Make a new "
          + "plan.\n",
        to: .standardError
      )
      throw ExitCode(1)
    }
    let plan = Planner.plan(
      desired: engine.topology,
      observed: observed,
      fingerprint: observed.fingerprint,
      options: options
    )
    if let saved {
      let differences = saved.plan.differences(from: plan)
      guard differences.isEmpty else {
        Terminal.write(
          "error: the changes in \(saved.path) are not the plan its topology gives for the "
            + "cluster it was made for (edited by hand, or planned with other options such "
            + "as --allow-foreign-topology?); nothing was changed. Make a new plan.\n"
            + differences.map { "  " + $0 }.joined(separator: "\n") + "\n",
          to: .standardError
        )
        throw ExitCode(1)
      }
    }
    return (plan, observed)
  }

  /// The cluster this apply takes as the file's is recorded, if none is yet: the one
  /// it found matching, or the one it is about to change.
  private func adoptIdentity(_ observed: ObservedCluster, _ topology: Topology, state: String) {
    let record = IdentityRecord(stateDirectory: state, cluster: topology.cluster.name)
    if let problem = record.adopt(observed) {
      Terminal.write("warning: \(problem)\n", to: .standardError)
    }
  }
}
