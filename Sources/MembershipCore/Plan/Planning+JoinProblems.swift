/// Why a node cannot join (or found) the cluster, in words a person can act on.
extension Planning {
  /// Why `desired.nodes[index]` cannot join (or found the cluster) now; nil when it can,
  /// as far as the node itself goes (`clusterTrackProblem` checks the cluster's side).
  func joinProblem(_ index: Int, founding: Bool) -> String? {
    let spec = desired.nodes[index]
    let cluster = desired.cluster.version
    guard spec.version.matches(cluster) else {
      return "\(spec.name) asks for MicroK8s \(spec.version) but the cluster runs \(cluster); "
        + "nodes join only on the cluster's track"
    }
    if let node = matched.misnamedNode(forSpec: index), let address = spec.address {
      return "the host at \(address) is already \(node.name), a member of this cluster: its "
        + "hostname is \(node.name), not \(spec.name). Correct the name in the file to "
        + "\(node.name)"
    }
    switch status(ofNamesake: index) {
    case .probed(.standalone(let track)):
      return standaloneProblem(index, track: track)
    case .probed(.memberOfAnotherCluster)
    where observed.identity != nil && matched.probe(index)?.identity == observed.identity:
      return "\(spec.name)'s MicroK8s is in this cluster, but no Node of that name is "
        + "registered (its hostname may differ, or its Node was deleted); run 'sudo snap "
        + "restart microk8s' on it so that its kubelet registers again, or 'sudo microk8s "
        + "leave' on it to have it join afresh"
    case .probed(.memberOfAnotherCluster):
      let identity = matched.probe(index)?.identity.map { " (identity \($0))" } ?? ""
      return "\(spec.name) is a member of another cluster\(identity); joining would wipe its "
        + "data. Run 'microk8s leave' on it first if that is intended"
    case .probed(.notReady):
      return "MicroK8s on \(spec.name) is stopped, not ready, or could not report its "
        + "datastore, so it is neither known to be standalone nor a member. On it run "
        + "'sudo microk8s start' and 'sudo microk8s status --wait-ready'; if a join was "
        + "interrupted there, 'sudo microk8s leave' makes it standalone again"
    case .probed(.notPermitted):
      return "mktopo may not run MicroK8s on \(spec.name) (no permission to its credentials, "
        + "or sudo asks for a password); let the connection's user run it through "
        + "'sudo -n' (a sudoers.d entry for /snap/bin/microk8s), or add the user to the "
        + "microk8s group"
    case .probed(.microK8sMissing):
      return "MicroK8s is not installed on \(spec.name) (or cannot be run); on it run: "
        + "sudo snap install microk8s --classic --channel=\(cluster.channel)"
    case .probed(.unreachable), .unreachable:
      return "\(spec.name) could not be reached; it is not treated as absent. "
        + "Check its connection settings and that the host is up"
    case .notObserved:
      return "\(spec.name) was not observed; observe the cluster again"
    case .addressMismatch(let node, _):
      return addressMismatchReason(spec, node)
    case .left(_, let track):
      return standaloneProblem(index, track: track)
    case .member:
      return founding ? nil : "\(spec.name) is already a member"
    }
  }

  /// Why the standalone MicroK8s on `desired.nodes[index]`'s host, on `track`, cannot
  /// join or found the cluster: another track, or another name than the file gives it.
  func standaloneProblem(_ index: Int, track: Track) -> String? {
    let spec = desired.nodes[index]
    let cluster = desired.cluster.version
    guard Self.sameMinor(track, cluster) else {
      let running =
        "\(spec.name) runs MicroK8s \(track.track) but the cluster runs \(cluster.track)"
      // snap cannot go back a track, and the join replaces the node's data anyway.
      if (track.major, track.minor) > (cluster.major, cluster.minor) {
        return running + "; snap cannot downgrade, so on \(spec.name) run: sudo snap remove "
          + "microk8s --purge && sudo snap install microk8s --classic --channel=\(cluster.channel)"
      }
      return running
        + "; on \(spec.name) run: sudo snap refresh microk8s --channel=\(cluster.channel)"
    }
    guard let probe = matched.probe(index), let hostname = probe.hostname else { return nil }
    let address = spec.address?.description ?? spec.name
    if let failure = duplicateHostname(hostname, of: index) {
      return "the host at \(address): \(failure.summary) \(failure.remedy)"
    }
    guard hostname == spec.name else {
      return "the host at \(address) is named \(hostname) (its MicroK8s registered its node "
        + "as \(hostname)), so once joined its node would be \(hostname), not \(spec.name). "
        + "On it run: sudo hostnamectl set-hostname \(spec.name) && sudo snap restart "
        + "microk8s; or name it \(hostname) in the file"
    }
    return nil
  }

  /// Another machine already goes by `hostname`.
  ///
  /// A member at another address, or another listed host. Two machines with one hostname share one
  /// Node object and break each other (contract section 11, pitfall 6).
  func duplicateHostname(_ hostname: String, of index: Int) -> MicroK8sFailure? {
    let address = desired.nodes[index].address
    if let member = observed.nodes.first(where: { $0.name == hostname }),
      member.internalIP != address
    {
      return .duplicateHostname(name: hostname, registeredAddress: member.internalIP)
    }
    for other in desired.nodes.indices where other != index {
      guard let probe = matched.probe(other), probe.hostname == hostname,
        desired.nodes[other].address != address
      else { continue }
      return .duplicateHostname(name: hostname, registeredAddress: desired.nodes[other].address)
    }
    return nil
  }

  /// Why nothing may join the cluster.
  ///
  /// Its control-plane nodes run another track than the file asks for (or disagree among
  /// themselves). The cluster's track is read
  /// from its members, never assumed from the file.
  mutating func clusterTrackProblem(_ spec: NodeSpec) -> String? {
    let tracks = observedControlPlaneTracks()
    let wanted = desired.cluster.version
    let other = tracks.filter { !Self.sameMinor($0.track, wanted) }
    guard !other.isEmpty else { return nil }
    let running = other.map { "\($0.node) runs \($0.track.track)" }.joined(separator: ", ")
    return "the cluster's control plane is not on MicroK8s \(wanted.track) (\(running)); "
      + "nothing joins a cluster on another track than the file's, as the joiner would "
      + "never become Ready. Bring the control plane to \(wanted.track), or set the file's "
      + "version to the cluster's"
  }

  /// The kubelet tracks of the observed control-plane nodes, computed once.
  mutating func observedControlPlaneTracks() -> [(node: String, track: Track)] {
    if let known = controlPlaneTracks { return known }
    var tracks: [(node: String, track: Track)] = []
    for node in observed.nodes where node.role == .mixed {
      if let track = node.kubeletTrack { tracks.append((node.name, track)) }
    }
    controlPlaneTracks = tracks
    return tracks
  }

  /// The same MAJOR.MINOR: the kubelet's version carries no strict flavour or risk.
  static func sameMinor(_ lhs: Track, _ rhs: Track) -> Bool {
    lhs.major == rhs.major && lhs.minor == rhs.minor
  }

  func addressMismatchReason(_ spec: NodeSpec, _ node: ObservedNode) -> String {
    let seen = node.internalIP?.description ?? "no InternalIP"
    let declared = spec.address?.description ?? "none"
    return "\(spec.name) is a member with InternalIP \(seen), but the topology declares "
      + "\(declared); mktopo does not move a member to a new address, as the datastore keeps "
      + "the old one. Correct the address in the file, or remove the node (state: absent) "
      + "and, once it is gone, list it again with its new address"
  }
}
