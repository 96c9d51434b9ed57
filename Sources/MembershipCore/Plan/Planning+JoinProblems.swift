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
    case .probed(.lowMemoryGuard(let track)):
      return lowMemoryProblem(index, track: track)
    case .probed(.microK8sMissing):
      return installProblem(spec)
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

  /// Why a host whose MicroK8s keeps its low-memory guard cannot join.
  ///
  /// Nil for a worker on the cluster's track, which joins as MicroK8s advises (upstream
  /// `scripts/wrappers/join.py` refuses only control-plane joins on such a host). Its
  /// track is checked as a standalone node's is; no Node gives it a hostname to check.
  func lowMemoryProblem(_ index: Int, track: Track?) -> String? {
    let spec = desired.nodes[index]
    guard spec.role == .worker else {
      return "\(spec.name)'s MicroK8s keeps its low-memory guard (the host has 512 MiB of "
        + "RAM or less), so it runs no control-plane services and cannot join the datastore; "
        + "make it 'role: worker' in the file, or, if the host really has the memory, on it "
        + "run: sudo microk8s start --disable-low-memory-guard (see "
        + "\(BehaviourSection.lowMemoryGuard.citation))"
    }
    guard let track else {
      return "\(spec.name)'s MicroK8s keeps its low-memory guard and did not say its version, "
        + "so whether it is on the cluster's track \(desired.cluster.version.track) cannot be "
        + "told; on it run 'microk8s version'"
    }
    return standaloneProblem(index, track: track)
  }

  /// Why the standalone MicroK8s on `desired.nodes[index]`'s host, on `track`, cannot
  /// join or found the cluster: another track, or another name than the file gives it.
  func standaloneProblem(_ index: Int, track: Track) -> String? {
    let spec = desired.nodes[index]
    let cluster = joinTrack
    guard Self.sameMinor(track, cluster) else {
      if Self.sameMinor(track, desired.cluster.version) {
        let held = unmanagedControlPlane(on: cluster)
        guard held.isEmpty else {
          return "\(spec.name) runs MicroK8s \(track.track), the topology's version, but the "
            + "cluster still runs \(cluster.track) on " + held.joined(separator: ", ")
            + ", which mktopo does not upgrade (not in the topology, or with a version of "
            + "their own); list them in the topology or upgrade them by hand, and "
            + "\(spec.name) joins once the cluster runs \(track.track)"
        }
        return "\(spec.name) runs MicroK8s \(track.track), the topology's version, but the "
          + "cluster still runs \(cluster.track) and is upgraded one minor version at a time; "
          + "\(spec.name) joins once the cluster runs \(track.track) (apply again after the "
          + "upgrades)"
      }
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
        + "microk8s; or name it \(hostname) in the file (see "
        + "\(BehaviourSection.duplicateHostnames.citation))"
    }
    return nil
  }

  /// Another machine already goes by `hostname`.
  ///
  /// A member at another address, or another listed host. Two machines with one hostname share one
  /// Node object and break each other (contract section 11, pitfall 6).
  func duplicateHostname(_ hostname: String, of index: Int) -> MicroK8sFailure? {
    let address = desired.nodes[index].address
    guard let other = machinesByName[hostname]?.first(where: { $0 != address }) else {
      return nil
    }
    return .duplicateHostname(name: hostname, registeredAddress: other)
  }

  /// Indexes who goes by which name: every observed node (by its InternalIP) and every
  /// host a probe named (by its declared address).
  ///
  /// Built once, before the joins, so a check costs a lookup rather than a scan of the cluster per joiner.
  mutating func indexMachineNames() {
    guard observed.probes.contains(where: { $0.hostname != nil }) else { return }
    var names: [String: [NodeAddress?]] = [:]
    for node in observed.nodes { names[node.name, default: []].append(node.internalIP) }
    for index in desired.nodes.indices {
      guard let hostname = matched.probe(index)?.hostname else { continue }
      names[hostname, default: []].append(desired.nodes[index].address)
    }
    machinesByName = names
  }

  /// Why nothing may join the cluster.
  ///
  /// Its control-plane nodes run another track than the file asks for (or disagree
  /// among themselves). The cluster's track is read from its members, never assumed from
  /// the file. Worked out once: it is the same for every joiner.
  mutating func clusterTrackProblem(_ spec: NodeSpec) -> String? {
    if let known = clusterTrackVerdict { return known }
    let wanted = desired.cluster.version
    var other: [String] = []
    // During an upgrade (`joinTrack` older than the file's), the old track and the one
    // after it are the cluster's too: a joiner comes in on the old one and is upgraded
    // with the rest.
    let upgrading = joinTrack.minor < wanted.minor
    for node in observed.nodes where node.role == .mixed {
      guard let track = node.kubeletTrack, !Self.sameMinor(track, wanted),
        !(upgrading && track.major == joinTrack.major
          && (track.minor == joinTrack.minor || track.minor == joinTrack.minor + 1))
      else { continue }
      other.append("\(node.name) runs \(track.track)")
    }
    let verdict: String? =
      other.isEmpty
      ? nil
      : "the cluster's control plane is not on MicroK8s \(wanted.track) ("
        + other.prefix(5).joined(separator: ", ") + (other.count > 5 ? ", ..." : "") + "); "
        + "nothing joins a cluster on another track than the file's, as the joiner would "
        + "never become Ready. Bring the control plane to \(wanted.track), or set the file's "
        + "version to the cluster's"
    clusterTrackVerdict = .some(verdict)
    return verdict
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
