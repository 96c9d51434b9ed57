extension MicroK8sOutput {
  private static let leaseWhat = "'microk8s kubectl get lease -n kube-node-lease -o json' output"

  /// Reads `microk8s kubectl get lease NAME -n kube-node-lease -o json`: when the node's
  /// kubelet last renewed its heartbeat (`spec.renewTime`), in seconds since the epoch.
  ///
  /// Nil when the Lease does not exist (NotFound): a node whose kubelet never reported.
  public static func leaseRenewal(_ output: CommandOutput) throws(MicroK8sFailure) -> Double? {
    if output.exitStatus != 0, output.mentions("(NotFound)") { return nil }
    if let failure = commonFailure(output, command: "kubectl") ?? apiServerFailure(output) {
      throw failure
    }
    guard output.exitStatus == 0, output.stdout[...].trimmed.first == "{" else {
      throw fallback(output)
    }
    let json: ParsedJSON
    do {
      json = try JSONParser.parse(output.stdout)
    } catch {
      throw .malformed(
        what: leaseWhat,
        problem: "not JSON: \(error.message) at byte \(error.offset)"
      )
    }
    guard json["kind"]?.string == "Lease" else {
      throw .malformed(what: leaseWhat, problem: "'kind' is not 'Lease'")
    }
    guard let text = json["spec"]?["renewTime"]?.string else {
      // A Lease nobody renewed yet holds no time: no heartbeat to speak of.
      return nil
    }
    guard let seconds = RFC3339Time.parse(text) else {
      throw .malformed(
        what: leaseWhat,
        problem:
          "'spec.renewTime' is not an RFC 3339 time: \(Redaction.redact(String(text.prefix(40))))"
      )
    }
    return seconds
  }
}

/// RFC 3339 times as the Kubernetes API writes them, in UTC: `2024-05-01T10:00:00Z`, with
/// an optional fraction (`.250000`) and a `Z` or numeric offset.
public enum RFC3339Time {
  /// Seconds since the Unix epoch, or nil for anything else; every field is bounded
  /// before arithmetic.
  public static func parse(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.count <= 40 else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let byte = bytes[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74,
      bytes[13] == 0x3A, bytes[16] == 0x3A,
      let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var index = 19
    var fraction = 0.0
    if bytes[index] == 0x2E {
      index += 1
      var scale = 0.1
      let start = index
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        fraction += Double(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
      guard index > start, index - start <= 9 else { return nil }
    }
    guard index < bytes.count else { return nil }
    var offset = 0
    switch bytes[index] {
    case 0x5A, 0x7A:
      index += 1
    case 0x2B, 0x2D:
      guard index + 6 == bytes.count, bytes[index + 3] == 0x3A,
        let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6),
        hours < 24, minutes < 60
      else { return nil }
      offset = (hours * 60 + minutes) * 60 * (bytes[index] == 0x2B ? 1 : -1)
      index += 6
    default:
      return nil
    }
    guard index == bytes.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    return Double(seconds) + fraction
  }

  /// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let shifted = month <= 2 ? year - 1 : year
    let era = (shifted >= 0 ? shifted : shifted - 399) / 400
    let yearOfEra = shifted - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
