/// Whether the world really is what the file asks for, read from the simulator: what a
/// successful apply, a "No changes" plan or a converged reconcile pass claims.
///
/// Every present node is a member of the file's cluster, Ready, with its role (mixed: a
/// datastore member; worker: not) and on the file's track; no absent node is a member or
/// a Node; no ghost, unless the file leaves ghosts alone and the output names them; with
/// prune, no member or Node the file does not list. Output that says the membership
/// "matches the topology" also claims no ghost and no unlisted member whatever the policy.
struct MatchCheck {
  var file: TopologyRecipe
  var snapshot: Snapshot
  /// The file's cluster, when the harness knows it.
  var cluster: Int?
  /// Everything the run printed, to see which ghosts it told about.
  var output: String
  /// Hosts the harness took down, brought up, stopped or started during the run, whose
  /// readiness may have changed after mktopo last looked.
  var excused: Set<String>

  func mismatches() -> [String] {
    let claimsMatch = output.contains("matches the topology")
    guard let target = cluster ?? founderCluster else {
      return ["no present mixed node of the file is a member of any cluster"]
    }
    var problems = file.present.flatMap { presentProblems($0, target) }
    let nodes = snapshot.cluster(target)?.nodes ?? []
    for node in file.nodes where node.absent {
      if nodes.contains(where: { $0.name == node.name })
        || snapshot.memberHosts(target).contains(where: { $0.nodeName == node.name })
      {
        problems.append("\(node.name) is absent in the file but still in the cluster")
      }
    }
    for ghost in snapshot.ghosts(target) {
      if claimsMatch || file.cleanupGhosts || !output.contains(ghost.address) {
        problems.append(
          "the datastore keeps the ghost \(ghost.address) (\(ghost.role.rawValue)), no Node"
            + (file.cleanupGhosts ? ", although cleanupGhosts is true" : "")
            + (output.contains(ghost.address) ? "" : ", and the output never names it")
        )
      }
    }
    if file.prune || claimsMatch {
      let listed = Set(file.present.map(\.name))
      let names = Set(nodes.map(\.name) + snapshot.memberHosts(target).map(\.nodeName))
      for name in names.subtracting(listed).sorted() {
        problems.append(
          "\(name) is in the cluster but not listed as present"
            + (file.prune ? " (prune: true)" : " (prune: false, yet the output says it matches)")
        )
      }
    }
    return problems
  }

  /// For a brand-new file, the cluster the first present mixed node is in.
  private var founderCluster: Int? {
    file.present.first { $0.role == .mixed }?.address.flatMap { snapshot.membership($0) }
  }

  private func presentProblems(_ node: TopologyRecipe.Node, _ target: Int) -> [String] {
    guard let address = node.address, let host = snapshot.host(address) else {
      return ["\(node.name): no machine answers at \(node.address ?? "no address")"]
    }
    if host.nodeName != node.name {
      return ["\(node.name): the machine at \(address) is named \(host.nodeName)"]
    }
    guard snapshot.membership(address) == target else {
      return ["\(node.name) is not a member of the cluster: \(snapshot.whereabouts(address))"]
    }
    var problems: [String] = []
    let role = snapshot.role(address)
    if role != node.role {
      problems.append(
        "\(node.name) is \(role?.rawValue ?? "nothing"), the file says \(node.role.rawValue)"
      )
    }
    let kube = snapshot.cluster(target)?.nodes.first { $0.name == node.name }
    if let kube {
      let ready = snapshot.readiness(of: kube, in: target)
      if ready != .ready && !excused.contains(address) {
        problems.append("\(node.name) is not Ready (Ready=\(ready.rawValue))")
      }
      if kube.internalIP != address {
        problems.append("\(node.name)'s InternalIP is \(kube.internalIP), not \(address)")
      }
    } else {
      problems.append("\(node.name) has no Node object in the cluster")
    }
    if Tracks.normalized(host.track) != file.track(of: node) {
      problems.append(
        "\(node.name) runs \(host.track), the file says \(node.version ?? file.version)"
      )
    }
    return problems
  }
}
