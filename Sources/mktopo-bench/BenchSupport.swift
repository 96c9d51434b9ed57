import Glibc

/// The milliseconds in a duration.
func milliseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// The middle value (the upper one of an even count).
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted[sorted.count / 2]
}

/// The largest resident set this process has had so far.
func peakResidentMegabytes() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}

/// One decimal place.
func format(_ value: Double) -> String {
  let rounded = (value * 10).rounded() / 10
  return String(rounded)
}

/// Two decimal places.
func format2(_ value: Double) -> String {
  String((value * 100).rounded() / 100)
}

/// Right-aligns `text` in a column of `width` characters.
func padded(_ text: String, _ width: Int) -> String {
  String(repeating: " ", count: max(0, width - text.count)) + text
}

/// Milliseconds `body` takes, once.
func timed(_ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  body()
  return milliseconds(clock.now - start)
}

/// The directory of this executable, where SwiftPM puts every product of the build.
func binDirectory() -> String {
  var buffer = [CChar](repeating: 0, count: 4096)
  let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  guard length > 0 else { return "." }
  let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
}

/// A new, empty directory `/tmp/mktopo-bench-XXXXXX`; nil when it cannot be made.
func makeScratchDirectory() -> String? {
  var template = Array("/tmp/mktopo-bench-XXXXXX".utf8CString)
  guard
    let base = template.withUnsafeMutableBufferPointer({ buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }
    })
  else { return nil }
  return String(cString: base)
}

/// Runs `body` with the built microk8s-sim and a scratch directory removed afterwards;
/// false, with the reason printed, when either is missing.
func withSimulatorScratch(
  _ body: (_ simulator: String, _ directory: String) async -> Bool
) async -> Bool {
  let simulator = binDirectory() + "/microk8s-sim"
  guard access(simulator, X_OK) == 0 else {
    print("microk8s-sim is not at \(simulator); build it with `swift build -c release`")
    return false
  }
  guard let directory = makeScratchDirectory() else {
    print("cannot create a scratch directory")
    return false
  }
  defer { _ = system("rm -rf '\(directory)'") }
  return await body(simulator, directory)
}
