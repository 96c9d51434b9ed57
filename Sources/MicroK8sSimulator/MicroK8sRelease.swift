/// The MicroK8s build a snap track installs: what `microk8s version` and the kubelet report.
///
/// Patch levels and snap revisions are plausible stand-ins, not a record of real builds:
/// the contract only fixes their shape (`MicroK8s v1.32.3 revision 7964`, contract §1).
public struct MicroK8sRelease: Sendable, Equatable {
  public var major: Int
  public var minor: Int
  /// The strictly confined flavour (`1.30-strict`).
  public var strict: Bool

  public init(major: Int, minor: Int, strict: Bool = false) {
    self.major = major
    self.minor = minor
    self.strict = strict
  }

  /// Parses `MAJOR.MINOR[-strict][/RISK]`, as `snap install --channel` takes it.
  public init?(track: String) {
    var text = Substring(track)
    if let slash = text.firstIndex(of: "/") {
      let risk = text[text.index(after: slash)...]
      guard ["stable", "candidate", "beta", "edge"].contains(risk) else { return nil }
      text = text[..<slash]
    }
    strict = text.hasSuffix("-strict")
    if strict { text = text.dropLast("-strict".count) }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let digits = parts.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isWholeNumber) }
    guard parts.count == 2, digits, let major = Int(parts[0]), let minor = Int(parts[1]) else {
      return nil
    }
    self.major = major
    self.minor = minor
  }

  /// `1.28` or `1.28-strict`.
  public var track: String { "\(major).\(minor)" + (strict ? "-strict" : "") }

  public var patch: Int { Self.builds[minor]?.patch ?? 0 }

  public var revision: Int { Self.builds[minor]?.revision ?? 1000 + minor * 100 }

  /// The upstream Kubernetes tag the snap carries (`SNAP_VERSION`, contract §1).
  public var snapVersion: String { "v\(major).\(minor).\(patch)" }

  /// `microk8s version` (contract §1).
  public var versionLine: String { "MicroK8s \(snapVersion) revision \(revision)" }

  /// `status.nodeInfo.kubeletVersion`: clean from 1.25 on, with a build suffix before
  /// (contract §7).
  public var kubeletVersion: String {
    isAtLeast(1, 25) ? snapVersion : snapVersion + "-2+59bbb3530b6769"
  }

  public func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
    self.major > major || (self.major == major && self.minor >= minor)
  }

  /// Whether two hosts run the same Kubernetes minor release.
  public func sameMinor(as other: MicroK8sRelease) -> Bool {
    major == other.major && minor == other.minor
  }

  /// What `latest/stable` holds: the newest release listed here.
  public static let latest = MicroK8sRelease(major: 1, minor: builds.keys.max() ?? 28)

  private static let builds: [Int: (patch: Int, revision: Int)] = [
    23: (17, 5643), 24: (17, 5978), 25: (16, 6254), 26: (15, 6364), 27: (16, 6541),
    28: (3, 6089), 29: (15, 7051), 30: (14, 7480), 31: (9, 7734), 32: (3, 7964),
    33: (5, 8205), 34: (1, 8400), 35: (0, 8612),
  ]
}
