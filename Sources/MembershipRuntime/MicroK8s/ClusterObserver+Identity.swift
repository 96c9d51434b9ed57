import MembershipCore

extension ClusterObserver {
  /// One pass checked against the identity recorded in `record`, recording the one a
  /// sound pass establishes when none is recorded (or, adopting another cluster, when it
  /// differs).
  ///
  /// A damaged record makes the pass unobservable rather than forgotten: which cluster
  /// this is must never be lost silently.
  public func observe(recordingIn record: IdentityRecord) async -> Observation {
    var observer = self
    var recorded: String?
    switch record.read() {
    case .none: break
    case .recorded(let identity, _):
      recorded = identity
      observer.expectedIdentity = identity
    case .damaged(let reason):
      return Observation(
        cluster: ObservedCluster(),
        unreadable: "the cluster's identity record \(record.path) cannot be read (\(reason)); "
          + "remove it to have the identity recorded again at the next observation"
      )
    }
    var observation = await observer.observe()
    if let established = observation.establishedIdentity, established != recorded {
      do {
        try record.record(established, through: observation.cluster.contact)
      } catch {
        observation.notes.append(
          "\(error); the next pass checks the cluster against none until it is recorded"
        )
      }
    }
    return observation
  }
}
