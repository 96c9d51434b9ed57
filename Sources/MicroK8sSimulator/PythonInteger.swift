/// A whole number as MicroK8s's Python reads it with `int(text)`, for arguments and ports.
///
/// Python's integers have no upper bound, so `--token-ttl 99999999999999999999` is a
/// number to MicroK8s. Here any number of digits is accepted too, and saturates at
/// `Int.min` or `Int.max`: a number typed on a command line never overflows arithmetic.
enum PythonInteger {
  static func parse(_ text: String) -> Int? {
    if let value = Int(text) { return value }
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative || digits.first == "+" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
      return nil
    }
    return negative ? Int.min : Int.max
  }
}
