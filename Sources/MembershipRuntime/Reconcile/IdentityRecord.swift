import Glibc
import MembershipCore

/// The cluster's identity as first observed, kept in `<state>/<cluster>.identity.json`
/// (DESIGN.md section 3).
///
/// The identity is something the cluster holds itself: the UID of its `kube-system`
/// namespace (`NodeListing`). Every later observation checks the cluster it reads
/// against it, so an outage that leaves only another cluster's nodes answering, or a
/// node rebuilt as a fresh MicroK8s, is never taken for this cluster.
public struct IdentityRecord: Sendable {
  /// What the state directory holds for the cluster.
  public enum Content: Sendable, Equatable {
    /// Nothing yet: the next observation that finds an established cluster records it.
    case none
    case recorded(identity: String, recordedAt: String)
    /// A file is there but cannot be read as a record; it is never replaced silently,
    /// as that would forget which cluster this is.
    case damaged(reason: String)
  }

  public struct Failure: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot record the cluster's identity in \(path): \(reason)" }
  }

  public let stateDirectory: String
  public let cluster: String
  public let path: String

  public init(stateDirectory: String, cluster: String) {
    self.stateDirectory = stateDirectory
    self.cluster = cluster
    path = StateFiles.path(stateDirectory, cluster + ".identity.json")
  }

  public func read() -> Content {
    guard access(path, F_OK) == 0 else { return .none }
    let bytes: [UInt8]
    do {
      bytes = try SourceFile.read(path, limit: 64 * 1024)
    } catch {
      return .damaged(reason: error.description)
    }
    guard bytes.count <= 64 * 1024 else { return .damaged(reason: "larger than 64 KiB") }
    guard let root = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)),
      case .number("1") = root["formatVersion"]?.kind,
      let identity = root["identity"]?.string, MicroK8sOutput.isIdentity(identity)
    else {
      return .damaged(reason: "not an identity record (formatVersion 1 with an identity)")
    }
    return .recorded(identity: identity, recordedAt: root["recordedAt"]?.string ?? "")
  }

  /// Records the identity of the cluster `observed` was read through, when none is yet.
  ///
  /// For a cluster an apply has taken as the file's, even a lone standalone MicroK8s,
  /// which an observation alone never records (it may be a fresh host). A failure to
  /// write is returned as a note, as it changes nothing else.
  public func adopt(_ observed: ObservedCluster) -> String? {
    guard case .none = read(), let identity = observed.identity, observed.contact != nil else {
      return nil
    }
    do {
      try record(identity, through: observed.contact)
    } catch {
      return "\(error)"
    }
    return nil
  }

  /// Records `identity`, read through `contact`, replacing any earlier record
  /// atomically.
  public func record(_ identity: String, through contact: String?) throws(Failure) {
    if let reason = StateFiles.createDirectory(stateDirectory) {
      throw Failure(path: path, reason: "cannot create the state directory: \(reason)")
    }
    let json = JSONValue.object([
      ("formatVersion", .integer(1)),
      ("cluster", .string(cluster)),
      ("identity", .string(identity)),
      ("recordedAt", .string(UTCTimestamp.now())),
      ("readThrough", contact.map { .string($0) } ?? .null),
    ])
    do {
      try OutputFile.write(json.rendered() + "\n", to: path)
    } catch {
      throw Failure(path: path, reason: error.reason)
    }
  }
}
