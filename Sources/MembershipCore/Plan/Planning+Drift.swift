/// Drift no change can remove: members that are not Ready or run another track. The
/// plan names each as blocked, so that "No changes" is said only of a cluster that
/// really matches the topology (DESIGN.md section 4).
extension Planning {
  mutating func planDrift() {
    var handled = Set(changes.map(\.node))
    handled.formUnion(blocked.map(\.node))
    var tracks = KubeletTracks()
    for index in desired.nodes.indices where desired.nodes[index].state == .present {
      guard matched.entries[index].kind == .member, let node = matched.node(index) else {
        continue
      }
      let spec = desired.nodes[index]
      let track = tracks.track(of: node)
      let inDatastore = matched.entries[index].datastoreRole != nil
      let drifts =
        !node.ready || track.map { !Self.sameMinor($0, spec.version) } ?? false
        || (spec.role == .mixed && !inDatastore && !observed.datastore.isEmpty)
        || (spec.role == .worker && inDatastore)
      guard drifts, !handled.contains(spec.name) else { continue }
      handled.insert(spec.name)
      if let track, !Self.sameMinor(track, spec.version) {
        block(.changeVersion, spec.name, versionReason(spec, running: track))
      } else if !node.ready {
        block(.repair, spec.name, notReadyReason(spec))
      } else if spec.role == .worker, inDatastore {
        block(
          .repair,
          spec.name,
          "\(spec.name) is labelled a worker, yet it is a datastore member; run 'sudo "
            + "microk8s inspect' on it, or remove it (state: absent) and list it again"
        )
      } else if spec.role == .mixed, !inDatastore, !observed.datastore.isEmpty {
        block(
          .repair,
          spec.name,
          "\(spec.name) runs the control plane but is not a datastore member, so the "
            + "datastore does not count it; run 'sudo microk8s inspect' on it, or remove it "
            + "(state: absent) and list it again to have it rejoin"
        )
      }
    }
  }

  private func versionReason(_ spec: NodeSpec, running track: Track) -> String {
    let wanted = spec.version
    let text =
      "\(spec.name) runs MicroK8s \(track.major).\(track.minor), the topology asks for "
      + "\(wanted.track)"
    if (track.major, track.minor) > (wanted.major, wanted.minor) {
      return text + "; mktopo only upgrades, and snap cannot downgrade MicroK8s in place: "
        + "remove the node (state: absent), reinstall MicroK8s \(wanted.channel) on it, then "
        + "list it again; or set the version to \(track.major).\(track.minor) (see "
        + "\(BehaviourSection.versionSkew.citation))"
    }
    if wanted.major != track.major {
      return text + "; mktopo upgrades within a major version only, one minor version at "
        + "a time"
    }
    // A node's own version other than the cluster's: no upgrade plan covers it.
    return text + ", while the cluster's version is \(desired.cluster.version.track); a "
      + "node's version follows the cluster's, so set both alike"
  }

  private func notReadyReason(_ spec: NodeSpec) -> String {
    let name = spec.name
    if isUnreachable(name) {
      return "\(name) is a member, but it could not be reached and its Node is not Ready; "
        + "mktopo does not repair nodes. Bring the host back, or remove it (state: absent)"
    }
    let probe = observed.probes.first { $0.name == name }
    switch probe?.finding {
    case .notReady:
      return "\(name) is a member, but MicroK8s on it is stopped or not ready; on it run "
        + "'sudo microk8s start' and 'sudo microk8s inspect'"
    // A worker cannot tell which cluster it is in: only an identity says another one.
    case .memberOfAnotherCluster
    where probe?.identity != nil && probe?.identity != observed.identity:
      return "\(name)'s Node is still registered here, but its MicroK8s belongs to another "
        + "cluster now; remove it from this one (state: absent), or make it leave the other"
    default:
      return "\(name) is a member but not Ready; mktopo does not repair nodes. Check it with "
        + "'sudo microk8s inspect' on the node"
    }
  }
}
