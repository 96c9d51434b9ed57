/// A failure injected on one host for one verb, consumed as commands run into it.
public struct Fault: Codable, Sendable, Equatable {
  /// The address of the host whose command fails.
  public var address: String
  /// A MicroK8s verb, or `any`.
  public var verb: String
  public var kind: FaultKind
  /// How many more commands it affects; `nil` for `--always`.
  public var remaining: Int?

  public init(address: String, verb: String, kind: FaultKind, remaining: Int?) {
    self.address = address
    self.verb = verb
    self.kind = kind
    self.remaining = remaining
  }

  /// The verb name that matches every command.
  public static let anyVerb = "any"

  func matches(_ kind: FaultKind, address: String, verb: MicroK8sVerb?) -> Bool {
    self.kind == kind && self.address == address
      && (self.verb == Self.anyVerb || self.verb == verb?.rawValue)
  }
}

extension World {
  /// Whether a fault of `kind` fires for this command; firing uses up one of its times.
  mutating func takeFault(_ kind: FaultKind, host: String, verb: MicroK8sVerb?) -> Bool {
    guard let index = faults.firstIndex(where: { $0.matches(kind, address: host, verb: verb) })
    else { return false }
    if let remaining = faults[index].remaining {
      if remaining <= 1 {
        faults.remove(at: index)
      } else {
        faults[index].remaining = remaining - 1
      }
    }
    return true
  }
}
