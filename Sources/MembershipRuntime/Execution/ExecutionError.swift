import MembershipCore

/// One step of a change failed, or the cluster did not show its effect in time.
///
/// The message says which change and step, on which node, what happened and what to do;
/// it never holds a join token (engine errors are redacted at the source).
public struct ExecutionError: Error, Sendable, CustomStringConvertible {
  public enum Cause: Sendable {
    /// The step's command failed.
    case engine(EngineError)
    /// The command succeeded, but the cluster did not show its effect within `after`.
    case notObserved(condition: String, after: Duration, lastProblem: EngineError?)
    /// The step names a host the topology does not list: a plan made from another file.
    case unknownHost(String)
    /// The step is not one this executor can carry out (a join without its add-node).
    case malformedStep(String)
    /// The cluster as read just before the step shows it unsafe now: taking a voter out
    /// could cost the datastore its quorum, or a join could not finish; the step was not
    /// started.
    case unsafeStep(String)
    /// The step did what it could, but the node cannot go on as the file asks until a
    /// person acts (a host under another name, a low-memory host as control plane).
    case prerequisite(String)
  }

  /// What became of a node the change had cordoned before it stopped.
  public enum Restoration: Sendable {
    /// Uncordoned again: the change stopped before the node left.
    case uncordoned(String)
    /// Uncordoning it failed too: it stays cordoned until someone uncordons it.
    case stillCordoned(String, EngineError)
  }

  public var change: Change
  /// 1-based.
  public var stepIndex: Int
  public var step: Step
  public var cause: Cause
  /// Set when the change had cordoned its node and stopped before the node left.
  public var restoration: Restoration?

  public init(change: Change, stepIndex: Int, step: Step, cause: Cause) {
    self.change = change
    self.stepIndex = stepIndex
    self.step = step
    self.cause = cause
  }

  /// Whether running the change again (observed afresh, with a new token) may succeed.
  public var isTransient: Bool {
    switch cause {
    case .engine(let error): error.isTransient
    // Slow nodes and a datastore that is still settling are the usual reasons.
    case .notObserved: true
    case .unknownHost, .malformedStep, .unsafeStep, .prerequisite: false
    }
  }

  public var description: String {
    switch restoration {
    case nil: return failure
    case .uncordoned(let node):
      return failure + "\n\(node) was uncordoned again: the change stopped before it left, "
        + "so it takes pods as before."
    case .stillCordoned(let node, let error):
      return failure + "\n\(node) is still cordoned: uncordoning it failed too (\(error)). "
        + "Run 'microk8s kubectl uncordon \(node)' on a control-plane node once it answers."
    }
  }

  private var failure: String {
    let what =
      "\(change.action.rawValue) \(change.node), step \(stepIndex) of \(change.steps.count) "
      + "(on \(step.host): \(step.commandLine))"
    switch cause {
    case .engine(let error):
      return "\(what) failed:\n\(error)"
    case .notObserved(let condition, let after, let problem):
      let why =
        step.verb == .refresh
        ? "A refreshed node restarts its services, and one that skipped a minor version "
          + "may never come back (see \(BehaviourSection.versionSkew.citation))"
        : "MicroK8s can report success without having done it (see "
          + "\(BehaviourSection.joinExitZero.citation))"
      var text =
        "\(what): the command succeeded, but after \(TransportError.format(after)) the "
        + "cluster still does not show \(condition). \(why); check the node, or raise the "
        + "policy's timeouts if it is merely slow."
      if let problem { text += "\nLast problem while checking: \(problem)" }
      return text
    case .unknownHost(let host):
      return "\(what): the topology lists no node named \(host); was the plan made from "
        + "another file?"
    case .malformedStep(let detail):
      return "\(what): \(detail)"
    case .unsafeStep(let reason):
      return "\(what) was not started: \(reason)"
    case .prerequisite(let reason):
      return "\(what): \(reason)"
    }
  }
}
