extension Track {
  /// The track of a Kubernetes version as MicroK8s and the kubelet print it.
  ///
  /// `v1.28.3` and, before MicroK8s 1.25, `v1.24.0-2+59bbb3530b6769` (contract section
  /// 7); anything after `MAJOR.MINOR` (patch, pre-release, build) is ignored. Only the
  /// major and minor versions are kept, as a track has no risk or confinement to read.
  public init?(kubernetesVersion text: String) {
    guard case .success(let track) = Self.read(kubernetesVersion: text) else { return nil }
    self = track
  }

  /// Reads like `init?(kubernetesVersion:)`, and says why a text is not a version.
  ///
  /// Digit runs are measured before they are converted, so a version of any length is
  /// refused rather than overflowing.
  public static func read(kubernetesVersion text: String) -> Result<Track, Problem> {
    var rest = Substring(text)
    if rest.first == "v" { rest = rest.dropFirst() }
    let major = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(major.count)
    guard rest.first == "." else { return .failure(.malformed) }
    rest = rest.dropFirst()
    let minor = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(minor.count)
    // A digit run ends at the end, or at the patch, pre-release or build separator.
    guard !major.isEmpty, !minor.isEmpty,
      rest.isEmpty || rest.first == "." || rest.first == "-" || rest.first == "+"
    else { return .failure(.malformed) }
    if let long = [major, minor].first(where: { $0.count > 3 }) {
      return .failure(.numberTooLong(long))
    }
    guard let majorNumber = Int(major), let minorNumber = Int(minor) else {
      return .failure(.malformed)
    }
    return .success(Track(major: majorNumber, minor: minorNumber))
  }
}

extension ObservedNode {
  /// The track of `kubeletVersion`, for comparing with the topology's; nil when the
  /// version is empty or unreadable.
  public var kubeletTrack: Track? { Track(kubernetesVersion: kubeletVersion) }
}
