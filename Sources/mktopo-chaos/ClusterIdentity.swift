/// Which cluster is the file's, and which ones mktopo must leave alone, as the harness
/// knows them from the world it built (never from what mktopo reports).
struct ClusterIdentity: Sendable {
  /// The file's cluster: the formed cluster its present nodes name, or the one mktopo
  /// founded for a brand-new file; nil until then.
  var file: Int?
  /// Formed clusters the present nodes of the files name.
  ///
  /// Usually one; when a file lists members of two clusters, a join into either is not
  /// held against mktopo (DESIGN section 3 wants the split reported, but which side it
  /// reads is not specified).
  var candidates: Set<Int>
  /// Clusters no present node of any file names, with their members and Nodes at the
  /// start: no pass of mktopo may change them.
  var foreign: [Int: Membership]

  struct Membership: Sendable, Equatable {
    var hosts: Set<String>
    var nodes: Set<String>
    var members: Set<String>
  }

  /// From the world after set-up.
  ///
  /// A formed cluster is named when some present node of some file names one of its
  /// members, by name or by address.
  init(world: Snapshot, recipe: WorldRecipe, files: [TopologyRecipe]) {
    foreign = [:]
    candidates = []
    file = nil
    for founder in [recipe.founder, recipe.foreignFounder].compactMap({ $0 }) {
      guard let id = world.membership(founder), world.isFormed(id),
        let cluster = world.cluster(id)
      else { continue }
      let hosts = world.memberHosts(id)
      let named = files.contains { file in
        file.present.contains { node in
          hosts.contains { $0.nodeName == node.name || $0.address == node.address }
        }
      }
      if named {
        candidates.insert(id)
        file = file ?? id
      } else {
        foreign[id] = Membership(
          hosts: Set(hosts.map(\.address)),
          nodes: Set(cluster.nodes.map(\.name)),
          members: Set(cluster.members.map(\.address))
        )
      }
    }
  }

  func isForeign(_ id: Int?) -> Bool {
    id.map { foreign[$0] != nil } ?? false
  }
}
