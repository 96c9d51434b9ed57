import MembershipCore
import Synchronization
import Testing

@testable import MembershipRuntime

/// The executor and the reconciler against `microk8s-sim`: one change at a time, waits
/// that only observation ends, retries with a fresh token, and clean stops.
@Suite("Executor and reconciler against the simulator")
struct ReconcilerTests {
  /// The guide's world, a topology with short waits, and a reconciler over it.
  static func with(
    policy: Policy = Policy(readyTimeout: .seconds(3)),
    _ body: (SimulatedWorld, Reconciler) async throws -> Void
  ) async throws {
    try await SimulatedWorld.with(MicroK8sEngineTests.hosts) { world in
      let topology = world.topology(MicroK8sEngineTests.nodes, policy: policy)
      let engine = MicroK8sEngine(topology: topology) { LocalTransport(host: $0.name) }
      var executor = Executor(engine: engine)
      executor.pollInterval = .milliseconds(100)
      var reconciler = Reconciler(executor: executor)
      reconciler.backoff = .milliseconds(50)
      try await body(world, reconciler)
    }
  }

  /// Every event of a run, in order, as text.
  final class Log: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ event: Reconciler.Event) {
      let line: String
      switch event {
      case .planned(let plan, let pass, _, _): line = "planned \(pass): \(plan.changes.count)"
      case .changeStarted(let change, _, let attempt):
        line = "start \(change.action.rawValue) \(change.node) #\(attempt)"
      case .execution(.stepStarted(_, let index, let step)):
        line = "  step \(index) \(step.verb.rawValue) on \(step.host) \(step.arguments)"
      case .execution(.waiting(_, _, let condition)): line = "  wait \(condition)"
      case .execution(.stepFinished(_, let index, _)): line = "  done \(index)"
      case .changeFinished(let change, _): line = "finished \(change.node)"
      case .retrying(let error, let attempt, _): line = "retry \(attempt): \(error)"
      }
      lines.withLock { $0.append(line) }
    }
    var all: [String] { lines.withLock { $0 } }
  }

  @Test("converges the guide's cluster one change at a time, each step then its wait")
  func converges() async throws {
    try await Self.with { world, reconciler in
      try await world.admin(["settings", "ready-delay=500ms"])
      let log = Log()
      let outcome = await reconciler.run { log.add($0) }
      #expect(outcome.converged, "\(outcome.failure.map { "\($0)" } ?? "")")
      #expect(outcome.applied.map(\.node) == ["node2", "node3", "worker1"])
      let lines = log.all
      // The first pass plans everything, as it is the plan approved; a later, lazy
      // pass plans only up to the next join.
      #expect(lines.first == "planned 1: 3", "\(lines)")
      #expect(lines.contains("planned 2: 1"), "a lazy pass plans only the next join: \(lines)")
      let node2 = try #require(lines.firstIndex(of: "start join node2 #1"))
      #expect(lines[node2 + 1].hasPrefix("  step 1 add-node on node1 [\"--token\", \"<token>\""))
      #expect(lines[node2 + 3] == "  step 2 join on node2 [\"192.168.1.10:25000/<token>\"]")
      #expect(lines[node2 + 4] == "  wait node2 Ready and a datastore member")
      // Events carry the plan's steps, so a token can only be the placeholder.
      #expect(lines.allSatisfy { Redaction.redact($0) == $0 }, "a token-shaped event: \(lines)")
      let observed = await ClusterObserver(engine: reconciler.executor.engine).observe()
      #expect(observed.cluster.datastore.filter { $0.role == .voter }.count == 3)
    }
  }

  @Test("a join that exits 0 but never joins is caught by the wait, never called done")
  func silentJoin() async throws {
    try await Self.with(policy: Policy(readyTimeout: .seconds(2))) { world, reconciler in
      try await world.admin(["fault", "192.168.1.11", "join", "join-silent-timeout"])
      let log = Log()
      let outcome = await reconciler.run { log.add($0) }
      let retry = try #require(log.all.first { $0.hasPrefix("retry 1:") })
      #expect(retry.contains("the cluster still does not show node2 Ready"), "\(retry)")
      // The half-joined node is left for the operator, with the others carried on.
      #expect(!outcome.applied.contains { $0.node == "node2" })
      #expect(outcome.applied.map(\.node) == ["node3", "worker1"])
      #expect(outcome.plan?.blocked.map(\.node) == ["node2"])
      #expect(!outcome.converged)
    }
  }

  @Test("a burnt token is retried with a fresh one; a terminal failure stops the run")
  func retriesAndStops() async throws {
    try await Self.with { world, reconciler in
      try await world.admin(["fault", "192.168.1.11", "join", "join-invalid-token"])
      try await world.admin(["fault", "192.168.1.12", "join", "join-already-known", "--always"])
      let log = Log()
      let outcome = await reconciler.run { log.add($0) }
      #expect(outcome.applied.map(\.node) == ["node2"])
      guard case .execution(let error, let attempts) = outcome.failure else {
        Issue.record("expected an execution failure, got \(String(describing: outcome.failure))")
        return
      }
      #expect(attempts == 1, "a terminal failure is not retried")
      #expect(error.change.node == "node3")
      #expect(error.description.contains("remove-node 192.168.1.12 --force"), "\(error)")
      #expect(log.all.contains { $0.hasPrefix("retry 1: join node2") })
    }
  }

  @Test("a stop request ends the run between changes, never inside one")
  func stopsBetweenChanges() async throws {
    try await Self.with { _, reconciler in
      var stopping = reconciler
      let finished = Mutex(0)
      stopping.shouldStop = { finished.withLock { $0 } >= 1 }
      let outcome = await stopping.run { event in
        if case .changeFinished = event { finished.withLock { $0 += 1 } }
      }
      #expect(outcome.stopped)
      #expect(outcome.applied.map(\.node) == ["node2"])
      #expect(!outcome.converged)
    }
  }

  @Test("needing fewer changes than approved is fine, and counted")
  func fewerThanApproved() async throws {
    try await Self.with { _, reconciler in
      var reconciler = reconciler
      var full = reconciler.observer
      full.probeScope = .all
      let first = await full.observe()
      var changes = Planner.plan(
        desired: reconciler.executor.engine.topology,
        observed: first.cluster,
        fingerprint: first.cluster.fingerprint
      ).changes
      // Approved as well: a join the cluster turns out not to need.
      var extra = changes[0]
      extra.node = "node9"
      changes.append(extra)
      reconciler.approval = Approval(changes)
      let outcome = await reconciler.run { _ in }
      #expect(outcome.converged, "\(outcome.failure.map { "\($0)" } ?? "")")
      #expect(outcome.applied.count == 3)
      #expect(outcome.approvedCount == 4)
    }
  }

  @Test("a later pass that plans a change nobody approved stops before starting it")
  func unapprovedChangeStops() async throws {
    try await Self.with { world, reconciler in
      var reconciler = reconciler
      // Approved: node2's join alone, as a plan shown while node3 and worker1 were down.
      let first = await reconciler.observer.observe()
      let all = Planner.plan(
        desired: reconciler.executor.engine.topology,
        observed: first.cluster,
        fingerprint: first.cluster.fingerprint
      )
      reconciler.approval = Approval(all.changes.filter { $0.node == "node2" })
      let log = Log()
      let outcome = await reconciler.run { log.add($0) }
      #expect(outcome.applied.map(\.node) == ["node2"])
      guard case .unapproved(let changes) = outcome.failure else {
        Issue.record("expected an unapproved failure: \(String(describing: outcome.failure))")
        return
      }
      #expect(changes.map(\.node) == ["node3", "worker1"])
      #expect(!log.all.contains("start join node3 #1"), "\(log.all)")
      #expect("\(outcome.failure!)".contains("+ join node3"))
      #expect(outcome.approvedCount == 1)
      _ = world
    }
  }
}
