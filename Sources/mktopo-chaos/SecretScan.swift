import FoundationEssentials

/// Join tokens where they must never be (DESIGN section 5): any run of 32 or more
/// lowercase hex digits (the shape of a token mktopo mints), and every token the
/// simulator has stored, in mktopo's output and in the files of its state directory.
enum SecretScan {
  /// What in `texts` (name, text) is, or looks like, a join token.
  static func findings(in texts: [(name: String, text: String)], tokens: Set<String>) -> [String] {
    var found: [String] = []
    for (name, text) in texts {
      if let run = longHexRun(text) {
        found.append("\(name) holds \(run.count) hex digits in a row: \(run)")
      }
      for token in tokens.sorted() where text.contains(token) {
        found.append("\(name) holds the join token \(token)")
      }
    }
    return found
  }

  /// The first run of at least 32 lowercase hex digits.
  static func longHexRun(_ text: String) -> String? {
    var run: [UInt8] = []
    for byte in text.utf8 {
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
      {
        run.append(byte)
        continue
      }
      if run.count >= 32 { break }
      run.removeAll(keepingCapacity: true)
    }
    return run.count >= 32 ? String(decoding: run, as: UTF8.self) : nil
  }

  /// Every regular file under `directory`, named `state/RELATIVE-PATH`, with its text.
  static func files(under directory: String) -> [(name: String, text: String)] {
    let manager = FileManager.default
    guard let paths = try? manager.subpathsOfDirectory(atPath: directory) else { return [] }
    return paths.sorted().compactMap { relative in
      let path = directory + "/" + relative
      var isDirectory = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory,
        let data = manager.contents(atPath: path)
      else { return nil }
      return ("state/" + relative, String(decoding: data, as: UTF8.self))
    }
  }
}
