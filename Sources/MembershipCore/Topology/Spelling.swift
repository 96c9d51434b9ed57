/// "Did you mean" suggestions for misspelt keys and enum values.
public enum Spelling {
  /// The closest candidate within a small edit distance, if any.
  public static func suggestion(for word: String, among candidates: [String]) -> String? {
    let lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      if candidate.lowercased() == lowered { return candidate }
      let distance = editDistance(Array(lowered.utf8), Array(candidate.lowercased().utf8))
      let allowed = max(1, min(3, candidate.utf8.count / 3))
      if distance <= allowed, distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.candidate
  }

  /// " did you mean 'x'?" or "", to append to a message.
  static func hint(for word: String, among candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Levenshtein distance; inputs are short keys, so the quadratic table is fine.
  static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard a.count < 256, b.count < 256 else { return Int.max }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      current[0] = i
      for j in 1...max(b.count, 1) where !b.isEmpty {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return a.isEmpty ? b.count : previous[b.count]
  }
}
