/// Follows every host's cluster from one snapshot to the next and flags the joins that
/// must never happen: into a cluster other than the file's, out of a foreign cluster,
/// on another track, or a brand-new cluster founded by a node that may not found it.
///
/// Only mktopo (or a command it started and left running when killed) joins anything
/// once the world is built, so every join seen here is mktopo's.
struct MembershipWatch: Sendable {
  var previous: Snapshot
  var identity: ClusterIdentity
  /// Evidence already reported, so a lasting state is reported once.
  private var reported: Set<String> = []
  /// Every host seen as a member of each cluster, so that a rejoin (a role change) is
  /// told apart from a new member.
  private var everMembers: [Int: Set<String>] = [:]

  init(start: Snapshot, identity: ClusterIdentity) {
    previous = start
    self.identity = identity
    remember(start)
  }

  private mutating func remember(_ snapshot: Snapshot) {
    for host in snapshot.world.hosts {
      if let id = snapshot.membership(host.address) {
        everMembers[id, default: []].insert(host.address)
      }
    }
  }

  mutating func observe(_ next: Snapshot, file: TopologyRecipe, run: Int) -> [Violation] {
    var found: [Violation] = []
    for host in next.world.hosts {
      let before = previous.membership(host.address)
      let after = next.membership(host.address)
      // A join puts the host beside others in a datastore it did not found; a leave
      // leaves it alone in a fresh one. The cluster may be newer than the last sample.
      guard before != after, let after, next.memberHosts(after).count > 1,
        next.founder(after)?.address != host.address
      else { continue }
      found += joined(host.address, from: before, into: after, next, file)
    }
    found += foreignChanges(next)
    previous = next
    remember(next)
    return found.filter { reported.insert($0.evidence).inserted }.map {
      Violation($0.invariant, $0.evidence, run: run)
    }
  }

  /// `address` became a member of `cluster`, which others already belonged to.
  private mutating func joined(
    _ address: String,
    from before: Int?,
    into cluster: Int,
    _ next: Snapshot,
    _ file: TopologyRecipe
  ) -> [Violation] {
    let name = next.host(address)?.nodeName ?? address
    let target = next.describeCluster(cluster, excluding: address)
    if let before, identity.isForeign(before) {
      return [
        Violation(
          .wrongCluster,
          "\(name) (\(address)), a member of the foreign \(previous.describeCluster(before)), "
            + "was joined into \(target): joining wiped its data"
        )
      ]
    }
    if identity.isForeign(cluster) {
      return [
        Violation(
          .wrongCluster,
          "\(name) (\(address)) was joined into \(target), a cluster no file describes"
        )
      ]
    }
    var found: [Violation] = []
    if let fileCluster = identity.file, cluster != fileCluster,
      !identity.candidates.contains(cluster)
    {
      found.append(
        Violation(
          .wrongCluster,
          "\(name) (\(address)) was joined into \(target), not the file's "
            + previous.describeCluster(fileCluster)
        )
      )
    } else if identity.file == nil {
      found += founded(cluster, next, file)
      identity.file = cluster
    }
    // A role change rejoins a former member: only a new member must be on the file's
    // track, but nobody may join a cluster that runs another track than its own.
    let rejoin = everMembers[cluster]?.contains(address) ?? false
    let joiner = next.host(address).map { Tracks.normalized($0.track) } ?? "?"
    let others = next.memberHosts(cluster).filter { $0.address != address && $0.mode != .worker }
    let running =
      previous.cluster(cluster) != nil
      ? previous.tracks(cluster) : Set(others.map { Tracks.normalized($0.track) })
    // During an upgrade the control plane spans two minors, and a node joins on the
    // older one (then is upgraded with the rest).
    let minors = running.compactMap { Tracks.minor($0) }
    let behindFile = (Tracks.minor(joiner) ?? .max) < (Tracks.minor(file.track) ?? 0)
    let upgrading =
      behindFile && minors.count == running.count
      && (minors.max() ?? 0) - (minors.min() ?? 0) <= 1 && Tracks.minor(joiner) == minors.min()
    if !running.isEmpty && running != [joiner] && !upgrading {
      found.append(
        Violation(
          .wrongCluster,
          "\(name) (\(address)) on track \(joiner) was \(rejoin ? "rejoined" : "joined") into "
            + "\(target), which runs " + running.sorted().joined(separator: ", ")
        )
      )
    } else if !rejoin && joiner != file.track && !(upgrading || (running == [joiner] && behindFile))
    {
      found.append(
        Violation(
          .wrongCluster,
          "\(name) (\(address)) on track \(joiner) was joined into \(target) although the "
            + "file's version is \(file.version)"
        )
      )
    }
    return found
  }

  /// The first join of a brand-new cluster: the host joined was a lone standalone
  /// MicroK8s, which must be a present mixed node of the file, on the file's track.
  private func founded(_ cluster: Int, _ next: Snapshot, _ file: TopologyRecipe) -> [Violation] {
    guard let founder = next.founder(cluster) else { return [] }
    let listed = file.node(named: founder.nodeName)
    var problems: [String] = []
    if listed == nil || listed?.absent == true || listed?.address != founder.address {
      problems.append("the file does not list it as a present node at \(founder.address)")
    } else if listed?.role != .mixed {
      problems.append("the file makes it a worker")
    }
    if Tracks.normalized(founder.track) != file.track {
      problems.append("it runs \(founder.track), the file's version is \(file.version)")
    }
    guard !problems.isEmpty else { return [] }
    return [
      Violation(
        .wrongCluster,
        "\(founder.nodeName) (\(founder.address)) founded the file's cluster: "
          + problems.joined(separator: "; ")
      )
    ]
  }

  /// Member hosts, Nodes or datastore entries a foreign cluster lost (a removal) or
  /// gained (a join into it).
  private func foreignChanges(_ next: Snapshot) -> [Violation] {
    var found: [Violation] = []
    for (id, start) in identity.foreign.sorted(by: { $0.key < $1.key }) {
      let now = ClusterIdentity.Membership(
        hosts: Set(next.memberHosts(id).map(\.address)),
        nodes: Set(next.cluster(id)?.nodes.map(\.name) ?? []),
        members: Set(next.cluster(id)?.members.map(\.address) ?? [])
      )
      let parts: [(String, KeyPath<ClusterIdentity.Membership, Set<String>>)] = [
        ("member host", \.hosts), ("Node", \.nodes), ("datastore entry", \.members),
      ]
      for (what, path) in parts {
        for lost in start[keyPath: path].subtracting(now[keyPath: path]).sorted() {
          found.append(
            Violation(
              .accidentalRemoval,
              "the foreign cluster \(id), which mktopo must never change, lost its \(what) "
                + lost + (path == \.hosts ? " (now \(next.whereabouts(lost)))" : "")
            )
          )
        }
        for gained in now[keyPath: path].subtracting(start[keyPath: path]).sorted() {
          found.append(
            Violation(
              .wrongCluster,
              "the foreign cluster \(id), which mktopo must never change, gained the \(what) "
                + gained
            )
          )
        }
      }
    }
    return found
  }
}
