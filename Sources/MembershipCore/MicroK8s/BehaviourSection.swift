/// A section of `docs/microk8s-behaviour.md`, which messages send the operator to.
///
/// Messages cite the project's own page by heading, so that the reference still means
/// something to someone who has only the release; a test checks that every heading here
/// is one of the page's.
public enum BehaviourSection: String, CaseIterable, Sendable {
  case joinExitZero = "A join can exit 0 without joining"
  case singleUseTokens = "Join tokens are single use"
  case joinAddresses = "Join addresses"
  case lowMemoryGuard = "The low-memory guard"
  case duplicateHostnames = "Duplicate hostnames"
  case draining = "Draining a node before it leaves"
  case onlyVoter = "The only voter cannot leave"
  case installing = "Installing MicroK8s on a bare host"
  case removeNode = "remove-node exit codes and --force"
  case ghosts = "Ghost datastore members (already known to dqlite)"
  case versionSkew = "Version skew: one minor version at a time"
  case quorum = "Datastore roles and quorum"

  /// The page, as a path from the repository's root.
  public static let page = "docs/microk8s-behaviour.md"

  /// `docs/microk8s-behaviour.md, "HEADING"`, for a sentence that starts with "see".
  public var citation: String { "\(Self.page), \"\(rawValue)\"" }
}
