extension Track {
  /// The track of a Kubernetes version as MicroK8s and the kubelet print it.
  ///
  /// `v1.28.3` and, before MicroK8s 1.25, `v1.24.0-2+59bbb3530b6769` (contract section
  /// 7); anything after `MAJOR.MINOR` (patch, pre-release, build) is ignored. Only the
  /// major and minor versions are kept, as a track has no risk or confinement to read.
  public init?(kubernetesVersion text: String) {
    var rest = Substring(text)
    if rest.first == "v" { rest = rest.dropFirst() }
    let major = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(major.count)
    guard rest.first == "." else { return nil }
    rest = rest.dropFirst()
    let minor = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(minor.count)
    // A digit run ends at the end, or at the patch, pre-release or build separator.
    guard (1...3).contains(major.count), (1...3).contains(minor.count),
      rest.isEmpty || rest.first == "." || rest.first == "-" || rest.first == "+",
      let majorNumber = Int(major), let minorNumber = Int(minor)
    else { return nil }
    self.init(major: majorNumber, minor: minorNumber)
  }
}

extension ObservedNode {
  /// The track of `kubeletVersion`, for comparing with the topology's; nil when the
  /// version is empty or unreadable.
  public var kubeletTrack: Track? { Track(kubernetesVersion: kubeletVersion) }
}
