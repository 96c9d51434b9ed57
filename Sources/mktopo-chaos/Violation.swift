/// A broken promise found in one seed, with what shows it.
struct Violation: Sendable, Equatable {
  /// The product's promises the suite checks (README, "The chaos suite").
  enum Invariant: String, Sendable, CaseIterable {
    case quorum
    case accidentalRemoval = "no-accidental-removal"
    case wrongCluster = "no-wrong-cluster"
    case tokenLeak = "no-token-leak"
    case crash = "no-crash"
    case truthfulSuccess = "truthful-success"
    case nothingHalfDone = "nothing-half-done"
    case convergence
  }

  var invariant: Invariant
  var evidence: String
  /// The run it was found in (1-based, in the order the seed ran them), if one.
  var run: Int?

  init(_ invariant: Invariant, _ evidence: String, run: Int? = nil) {
    self.invariant = invariant
    self.evidence = evidence
    self.run = run
  }
}
