/// Dotted-quad IPv4 addresses, parsed as Python's `ipaddress` does (no leading zeros).
enum IPv4 {
  static func isValid(_ text: String) -> Bool {
    let octets = text.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4 else { return false }
    return octets.allSatisfy { octet in
      guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII),
        octet.allSatisfy(\.isWholeNumber), let value = Int(octet), value <= 255
      else { return false }
      return octet.count == 1 || octet.first != "0"
    }
  }

  /// Whether Python's `ipaddress.ip_address` accepts it: IPv4 or anything IPv6-shaped.
  static func isAddress(_ text: String) -> Bool {
    isValid(text) || (text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" })
  }
}
