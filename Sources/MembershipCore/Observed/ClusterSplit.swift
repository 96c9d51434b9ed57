/// Listed nodes found in more than one cluster when no cluster is recorded yet: which
/// one the file describes is then the operator's to say, never mktopo's to guess
/// (DESIGN.md section 3).
public struct ClusterSplit: Sendable, Equatable, CustomStringConvertible {
  /// The file's cluster name.
  public var cluster: String
  /// The cluster read through the contact: the listed nodes in it, contact first.
  public var read: [String]
  /// The contact is a standalone MicroK8s: the cluster would be founded on it.
  public var readIsStandalone: Bool
  /// The node the cluster would be founded on has no MicroK8s yet.
  public var readIsBare = false
  /// The other clusters: their listed nodes, by identity (nil: a worker, which cannot
  /// tell which cluster it is in).
  public var others: [(identity: String?, nodes: [String])]
  /// Some of `others` are nodes the file marks absent.
  public var absentElsewhere = false

  /// nil when every listed node that is a member of anything is in the contact's cluster.
  public init?(
    topology: Topology,
    contact: String,
    members: Set<String>,
    contactIsStandalone: Bool,
    identity: String?,
    probes: [NodeProbe]
  ) {
    var others: [(identity: String?, nodes: [String])] = []
    let absent = Set(topology.nodes.filter { $0.state == .absent }.map(\.name))
    for probe in probes where probe.finding == .memberOfAnotherCluster {
      // A member of the read cluster probed for its health is not another cluster, nor
      // is a node whose own MicroK8s reads the same cluster (its Node object missing).
      guard !members.contains(probe.name), identity == nil || probe.identity != identity
      else { continue }
      let name = absent.contains(probe.name) ? probe.name + " (marked absent)" : probe.name
      if absent.contains(probe.name) { absentElsewhere = true }
      if let index = others.firstIndex(where: {
        $0.identity != nil && $0.identity == probe.identity
      }) {
        others[index].nodes.append(name)
      } else {
        others.append((probe.identity, [name]))
      }
    }
    guard !others.isEmpty else { return nil }
    cluster = topology.cluster.name
    read = [contact] + topology.nodes.map(\.name).filter { $0 != contact && members.contains($0) }
    readIsStandalone = contactIsStandalone
    self.others = others
  }

  public static func == (lhs: ClusterSplit, rhs: ClusterSplit) -> Bool {
    lhs.description == rhs.description
  }

  public var description: String {
    let first =
      readIsBare
      ? "\(read[0]) has no MicroK8s yet, and cluster \(cluster) would be founded on it"
      : readIsStandalone
        ? "\(read[0]) is a standalone MicroK8s, on which cluster \(cluster) would be founded"
        : "\(read.joined(separator: ", ")) \(read.count == 1 ? "is" : "are") in one cluster "
          + "(read through \(read[0]))"
    let rest = others.map { other in
      let names = other.nodes.joined(separator: ", ")
      let verb = other.nodes.count == 1 ? "is" : "are"
      guard let identity = other.identity else {
        return "\(names) \(verb) a worker of another cluster"
      }
      return "\(names) \(verb) in another cluster (identity \(identity))"
    }
    return "the topology's nodes belong to more than one cluster: " + first + "; "
      + rest.joined(separator: "; ") + ". mktopo does not choose which is cluster \(cluster): "
      + "list only its nodes, or run 'microk8s leave' on the nodes that are to leave the "
      + "other cluster"
      + (absentElsewhere
        ? " (a node marked absent that is in another cluster on purpose needs no entry)" : "")
      + ". Once cluster \(cluster) has been read alone, its identity is "
      + "recorded and nodes of other clusters are blocked joins instead"
  }
}
