/// One `--host ADDRESS=HOSTNAME[:TRACK|:bare]` of `microk8s-sim init`.
public struct HostSpec: Sendable, Equatable {
  public var address: String
  public var hostname: String
  public var track: String
  /// False for `:bare`: a machine without the microk8s snap.
  public var installed: Bool

  public init(
    address: String,
    hostname: String,
    track: String = HostSpec.defaultTrack,
    installed: Bool = true
  ) {
    self.address = address
    self.hostname = hostname
    self.track = track
    self.installed = installed
  }

  /// The track a host gets when its spec names none.
  public static let defaultTrack = "1.28"

  /// Parses `ADDRESS=HOSTNAME[:TRACK|:bare]`; the error says what is wrong.
  public static func parse(_ text: String) -> Result<HostSpec, SpecError> {
    guard let equals = text.firstIndex(of: "=") else {
      return .failure(SpecError("expected ADDRESS=HOSTNAME[:TRACK|:bare], got '\(text)'"))
    }
    let address = String(text[..<equals])
    var hostname = String(text[text.index(after: equals)...])
    var track = defaultTrack
    if let colon = hostname.firstIndex(of: ":") {
      track = String(hostname[hostname.index(after: colon)...])
      hostname = String(hostname[..<colon])
    }
    guard IPv4.isValid(address) else {
      return .failure(SpecError("'\(address)' is not an IPv4 address"))
    }
    guard isHostname(hostname) else {
      return .failure(SpecError("'\(hostname)' is not a hostname (letters, digits, '-')"))
    }
    if track == "bare" {
      return .success(HostSpec(address: address, hostname: hostname, installed: false))
    }
    guard MicroK8sRelease(track: track) != nil else {
      return .failure(SpecError("'\(track)' is not a MicroK8s track such as 1.28, nor 'bare'"))
    }
    return .success(HostSpec(address: address, hostname: hostname, track: track))
  }

  /// One DNS label: what a machine's hostname and so a Node name can be.
  static func isHostname(_ text: String) -> Bool {
    guard (1...63).contains(text.utf8.count), text.first != "-", text.last != "-" else {
      return false
    }
    return text.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        || $0 == "-"
    }
  }

  /// Why a host spec, or another argument of the simulator, was refused.
  public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
  }
}
