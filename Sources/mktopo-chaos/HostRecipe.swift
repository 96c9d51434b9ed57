/// One simulated machine of a scenario, as the harness sets it up.
struct HostRecipe: Sendable, Equatable {
  /// Where the machine starts out.
  enum Part: String, Sendable {
    /// Meant for the file's cluster: a member from the start, or standalone and waiting.
    case fileCluster
    /// A spare standalone machine, never part of any cluster.
    case spare
    /// A member of a second cluster the file has nothing to do with.
    case foreign
  }

  var address: String
  /// As the machine reports it; its Node name is the lowercase form.
  var hostname: String
  /// The MicroK8s track installed, such as `1.28`.
  var track: String
  /// The role it has, or would have, in its cluster.
  var role: Role
  var part: Part
  /// Whether it is a member of its cluster when the scenario starts.
  var joined: Bool
  /// A machine without MicroK8s (`:bare`): `track` is then only what it would get.
  var bare = false

  var nodeName: String { hostname.lowercased() }

  /// `ADDRESS=HOSTNAME[:TRACK]` for `microk8s-sim init`.
  var initSpec: String {
    if bare { return "\(address)=\(hostname):bare" }
    return track == Tracks.file ? "\(address)=\(hostname)" : "\(address)=\(hostname):\(track)"
  }
}

/// `mixed` (control plane and worker) or `worker`, as the topology file spells them.
enum Role: String, Sendable, Equatable {
  case mixed
  case worker

  var other: Role { self == .mixed ? .worker : .mixed }
}

/// The MicroK8s tracks a scenario uses: the file's, and the ones that must never mix with it.
enum Tracks {
  static let file = "1.28"
  static let others = ["1.27", "1.29"]

  /// The minor version of a track such as `1.28`; nil for another major version.
  static func minor(_ track: String) -> Int? {
    let parts = normalized(track).split(separator: ".")
    guard parts.count == 2, parts[0] == "1" else { return nil }
    return Int(parts[1])
  }

  /// `1.28/stable` and `1.28` name the same track: the risk level is no part of it.
  static func normalized(_ track: String) -> String {
    String(track.split(separator: "/").first ?? Substring(track))
  }
}
