import MembershipCore
import Testing

/// Every parser over seeded mutations of every captured sample.
///
/// No crash, every failure typed, no join token in anything a parser returns or throws.
/// The seed is in every failure message; `mutated(seed:)` rebuilds that input.
@Suite("MicroK8s output fuzz")
struct MicroK8sFuzzTests {
  static let samples = StatusSamples.all + NodesSamples.all + JoinSamples.all + CommandSamples.all

  /// Runs every parser on `output` and returns what each produced, as text.
  static func parseEverything(_ output: CommandOutput) -> [String] {
    var results: [String] = []
    func record<Value>(_ name: String, _ body: () throws(MicroK8sFailure) -> Value) {
      var text = name + ": "
      do {
        dump(try body(), to: &text)
      } catch {
        dump(error, to: &text)
        text += error.summary + "\n" + error.remedy + "\n" + error.description
      }
      results.append(text)
    }
    record("status") { () throws(MicroK8sFailure) in try MicroK8sOutput.status(output) }
    record("nodes") { () throws(MicroK8sFailure) in try MicroK8sOutput.nodes(output) }
    record("version") { () throws(MicroK8sFailure) in try MicroK8sOutput.version(output) }
    record("add-node") { () throws(MicroK8sFailure) in
      try MicroK8sOutput.fingerprint(output, expectedToken: sampleToken)
    }
    record("join") { () throws(MicroK8sFailure) in try MicroK8sOutput.join(output) }
    record("leave") { () throws(MicroK8sFailure) in try MicroK8sOutput.leave(output) }
    record("remove-node") { () throws(MicroK8sFailure) in try MicroK8sOutput.removeNode(output) }
    return results
  }

  /// Whether `text` holds the token, or any hex run long enough to be one.
  static func leaksToken(_ text: String) -> Bool {
    if text.contains(sampleToken) { return true }
    var run = 0
    for byte in text.utf8 {
      run = byte.isHexDigit ? run + 1 : 0
      if run >= 32 { return true }
    }
    return false
  }

  @Test(arguments: samples)
  func capturedSamplesLeakNoToken(_ sample: MicroK8sSample) {
    for result in Self.parseEverything(sample.output) {
      #expect(!Self.leaksToken(result), "\(sample.name): \(result)")
    }
  }

  @Test func seededMutations() {
    for seed in UInt64(0)..<1000 {
      let output = Self.mutated(seed: seed)
      for result in Self.parseEverything(output) where Self.leaksToken(result) {
        Issue.record("seed \(seed) leaks a token: \(result)")
      }
    }
  }

  /// Every number of every sample made 20 digits long in turn: versions, ports, HTTP
  /// statuses, revisions and exit-code texts all pass through the parsers that read them.
  @Test func everyNumberLengthened() {
    for sample in Self.samples {
      for (stdout, stderr) in Self.lengthenedNumbers(sample.output) {
        let output = CommandOutput(
          exitStatus: sample.output.exitStatus,
          stdout: stdout,
          stderr: stderr
        )
        for result in Self.parseEverything(output) where Self.leaksToken(result) {
          Issue.record("\(sample.name), a number lengthened, leaks a token: \(result)")
        }
      }
    }
  }

  /// The sample's streams once per digit run, with that run replaced by twenty nines.
  ///
  /// Runs inside hex words (`59bbb3530b6769`) are left alone: lengthened, they would be
  /// as long as a token and `leaksToken` would take them for one.
  static func lengthenedNumbers(_ output: CommandOutput) -> [(String, String)] {
    func variants(_ text: String) -> [String] {
      let bytes = Array(text.utf8)
      var result: [String] = []
      var index = 0
      while index < bytes.count {
        guard (0x30...0x39).contains(bytes[index]) else {
          index += 1
          continue
        }
        var end = index
        while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
        defer { index = end }
        if index > 0, bytes[index - 1].isHexDigit { continue }
        if end < bytes.count, bytes[end].isHexDigit { continue }
        let lengthened = bytes[..<index] + Array(repeating: UInt8(ascii: "9"), count: 20)
        result.append(String(decoding: lengthened + bytes[end...], as: UTF8.self))
      }
      return result
    }
    return variants(output.stdout).map { ($0, output.stderr) }
      + variants(output.stderr).map { (output.stdout, $0) }
  }

  @Test func garbageIsATypedFailureForEveryParser() {
    let binary = String(decoding: (0..<256).map { UInt8($0) }, as: UTF8.self)
    let inputs: [CommandOutput] = [
      CommandOutput(exitStatus: 0),
      CommandOutput(exitStatus: 1),
      CommandOutput(exitStatus: 0, stdout: binary, stderr: binary),
      CommandOutput(exitStatus: 9, stdout: "{", stderr: "["),
      CommandOutput(exitStatus: 0, stdout: "microk8s:\n  running: True\nhigh-availability:\n  en"),
      CommandOutput(exitStatus: 0, stdout: String(NodesSamples.three.prefix(900))),
      CommandOutput(exitStatus: 0, stdout: String(repeating: "[", count: 10_000)),
      CommandOutput(exitStatus: 0, stdout: "microk8s: &a [*a, *a]\nhigh-availability: *a\n"),
    ]
    for (index, output) in inputs.enumerated() {
      #expect(parseFailure { try MicroK8sOutput.status(output) } != nil, "input \(index)")
      #expect(parseFailure { try MicroK8sOutput.nodes(output) } != nil, "input \(index)")
      #expect(parseFailure { try MicroK8sOutput.version(output) } != nil, "input \(index)")
      #expect(
        parseFailure { try MicroK8sOutput.fingerprint(output, expectedToken: sampleToken) } != nil,
        "input \(index)"
      )
      if output.exitStatus != 0 {
        #expect(parseFailure { try MicroK8sOutput.join(output) } != nil, "input \(index)")
        #expect(parseFailure { try MicroK8sOutput.leave(output) } != nil, "input \(index)")
        #expect(parseFailure { try MicroK8sOutput.removeNode(output) } != nil, "input \(index)")
      }
    }
  }

  // MARK: - Mutations

  private static let fragments = [
    "[", "]", "{", "}", "&a ", "*a", ": ", "\"", "'", "\t", "\n- ", "True", "null", "\u{0}",
    "\r\n", "#", "- address: [", "Traceback (most recent call last):\n", "Connection failed. (",
    "\(sampleToken)/", "10.0.0.1:25000/",
  ]

  /// A sample changed one to four times: bytes flipped, cut, repeated or inserted, lines
  /// swapped, a number lengthened, the exit status changed.
  static func mutated(seed: UInt64) -> CommandOutput {
    var random = FuzzRandom(seed: seed)
    let sample = samples[random.below(samples.count)]
    var stdout = Array(sample.output.stdout.utf8)
    var stderr = Array(sample.output.stderr.utf8)
    var exit = sample.output.exitStatus
    for _ in 0..<(1 + random.below(4)) {
      let useStderr = !stderr.isEmpty && random.below(3) == 0
      var bytes = useStderr ? stderr : stdout
      mutate(&bytes, &exit, &random)
      if useStderr { stderr = bytes } else { stdout = bytes }
    }
    return CommandOutput(
      exitStatus: exit,
      stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self)
    )
  }

  private static func mutate(
    _ bytes: inout [UInt8],
    _ exit: inout Int32,
    _ random: inout FuzzRandom
  ) {
    let position = random.below(bytes.count + 1)
    let length = random.below(max(1, min(64, bytes.count - position)))
    switch random.below(8) {
    case 0 where !bytes.isEmpty:
      bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
    case 1:
      bytes.removeSubrange(position..<(position + length))
    case 2:
      bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
    case 3:
      bytes.insert(contentsOf: fragments[random.below(fragments.count)].utf8, at: position)
    case 4:
      bytes.removeSubrange(position...)
    case 5:
      var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      if lines.count > 1 {
        lines.swapAt(random.below(lines.count), random.below(lines.count))
        bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
      }
    case 6:
      lengthenNumber(&bytes, &random)
    default:
      exit = [0, 1, 2, 3, 4, 5, 6, 127, 255][random.below(9)]
    }
  }

  /// Puts a run of 18 to 31 digits beside a digit of the output, so that a version, a
  /// port or a status becomes a number longer than any integer type holds (and shorter
  /// than the 32 hex digits that `leaksToken` takes for a token).
  private static func lengthenNumber(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
    let digits = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) }
    let position =
      digits.isEmpty ? random.below(bytes.count + 1) : digits[random.below(digits.count)]
    let length = [18, 19, 20, 21, 25, 31][random.below(6)]
    let run = (0..<length).map { _ in UInt8(0x30 + random.below(10)) }
    bytes.insert(contentsOf: run, at: position)
  }
}

/// SplitMix64: a tiny seeded generator, so a failing seed reproduces exactly.
private struct FuzzRandom {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  mutating func below(_ bound: Int) -> Int {
    bound <= 0 ? 0 : Int(next() % UInt64(bound))
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (self >= 0x30 && self <= 0x39) || (self | 0x20 >= 0x61 && self | 0x20 <= 0x66)
  }
}
