/// What `microk8s version` prints: `MicroK8s v1.28.3 revision 6089` (contract section 1).
public struct MicroK8sVersion: Sendable, Equatable {
  /// The Kubernetes version the snap carries, as printed (`v1.28.3`).
  public var version: String
  /// Its major.minor: the snap track, without risk or confinement.
  public var track: Track
  /// The snap revision; a text, since a locally installed snap has `x1`.
  public var revision: String

  public init(version: String, track: Track, revision: String) {
    self.version = version
    self.track = track
    self.revision = revision
  }
}
