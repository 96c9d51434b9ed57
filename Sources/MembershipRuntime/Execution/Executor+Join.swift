import MembershipCore

/// The join command, tried again where MicroK8s fails for a moment.
extension Executor {
  /// The first pause before a join is tried again, and the longest.
  static let firstJoinPause: Duration = .seconds(2)
  static let longestJoinPause: Duration = .seconds(30)

  /// Runs `join` on `host`, again where it failed for a moment.
  ///
  /// A failure that passes by itself (`isRetriedAtJoin`) is tried again with a fresh
  /// token minted on `contact` (its fingerprint read afresh), after a pause that doubles
  /// from 2 s, until `policy.joinTimeout` from the first attempt. The last failure is
  /// reported, with its advice, once time runs out.
  func join(
    _ host: NodeSpec,
    contact: NodeSpec,
    at contactAddress: NodeAddress,
    first: (token: JoinToken, fingerprint: String),
    worker: Bool,
    change: Change,
    index: Int,
    failure: (ExecutionError.Cause) -> ExecutionError,
    report: @Sendable (ExecutionEvent) -> Void
  ) async throws(ExecutionError) {
    let clock = ContinuousClock()
    let deadline = clock.now + engine.topology.policy.joinTimeout
    var current = first
    var pause = Self.firstJoinPause
    while true {
      do throws(EngineError) {
        _ = try await engine.join(
          host,
          contact: contactAddress,
          token: current.token,
          fingerprint: current.fingerprint,
          asWorker: worker
        )
        return
      } catch {
        guard let cause = error.failure, cause.isRetriedAtJoin, clock.now + pause < deadline
        else { throw failure(.engine(error)) }
        report(
          .waiting(
            change: change,
            index: index,
            condition: "another join attempt with a fresh token in "
              + "\(TransportError.format(pause)) (\(cause.summary))"
          )
        )
        guard (try? await Task.sleep(for: pause)) != nil else { throw failure(.engine(error)) }
        pause = min(pause * 2, Self.longestJoinPause)
      }
      do throws(EngineError) {
        current = try await freshToken(on: contact)
      } catch {
        throw failure(.engine(error))
      }
    }
  }
}
