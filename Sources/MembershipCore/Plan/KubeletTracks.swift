/// The track each node's kubelet version names, parsed once per distinct version: the
/// nodes of a cluster nearly all print the same one, and a plan reads them node by node.
struct KubeletTracks {
  private var lastVersion = ""
  private var lastTrack: Track?

  mutating func track(of node: ObservedNode) -> Track? {
    if node.kubeletVersion != lastVersion {
      lastVersion = node.kubeletVersion
      lastTrack = node.kubeletTrack
    }
    return lastTrack
  }
}
