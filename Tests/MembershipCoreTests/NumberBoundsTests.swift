import MembershipCore
import Testing

/// Numbers longer than any field allows, in every input the core parses: refused with a
/// message that gives the range, never an arithmetic trap.
///
/// The lengths straddle what `Int` and `UInt64` hold: one past `Int.max`, 2^64, twenty
/// nines, and runs of hundreds and thousands of digits.
@Suite("Number bounds")
struct NumberBoundsTests {
  static let longNumbers = [
    "9223372036854775808", "18446744073709551616", "99999999999999999999",
    String(repeating: "9", count: 400), String(repeating: "7", count: 5000),
  ].map(LongNumber.init)

  // MARK: - Values

  @Test("a track with a major or minor version of more than three digits", arguments: longNumbers)
  func track(_ number: LongNumber) {
    let digits = number.digits
    for text in ["\(digits).28", "1.\(digits)", "\(digits).\(digits)/stable", "1.\(digits)-strict"]
    {
      #expect(Track.parse(text) == nil)
      #expect(Track.read(text) == .failure(.numberTooLong(Substring(digits))), "\(text.prefix(40))")
    }
    // Not a track at all, however long: the plain "expected a snap track" explanation.
    #expect(Track.read(digits) == .failure(.malformed))
  }

  @Test("three digits is the most a track number has")
  func trackBoundary() {
    #expect(Track.parse("999.999") == Track(major: 999, minor: 999))
    #expect(Track.read("1000.1") == .failure(.numberTooLong("1000")))
    #expect(Track.read("1.0028") == .failure(.numberTooLong("0028")))
    let explanation = Track.Problem.numberTooLong("1000").explanation
    #expect(explanation.contains("whole numbers from 0 to 999"), "\(explanation)")
  }

  @Test("a Kubernetes version with a long major or minor version", arguments: longNumbers)
  func kubernetesVersion(_ number: LongNumber) {
    let digits = number.digits
    for text in ["v\(digits).28.3", "v1.\(digits).0", "\(digits).1", "v1.\(digits)-2+59bbb"] {
      #expect(Track(kubernetesVersion: text) == nil)
      #expect(Track.read(kubernetesVersion: text) == .failure(.numberTooLong(Substring(digits))))
    }
    // The patch level is not read, so a long one is harmless.
    #expect(Track(kubernetesVersion: "v1.28.\(digits)") == Track(major: 1, minor: 28))
  }

  @Test("a duration with a long number is too long, not an overflow", arguments: longNumbers)
  func duration(_ number: LongNumber) {
    let digits = number.digits
    for text in ["\(digits)s", "\(digits)h", "1h\(digits)m", "\(digits)h\(digits)h\(digits)s"] {
      #expect(TopologyDuration.parse(text) == .failure(.tooLong), "\(text.prefix(40))")
    }
  }

  @Test("an address with a long number is no address", arguments: longNumbers)
  func address(_ number: LongNumber) {
    let digits = number.digits
    for text in ["10.0.0.\(digits)", "\(digits).0.0.1", "fd00::\(digits)", "\(digits)::1"] {
      #expect(NodeAddress.parse(text) == nil, "\(text.prefix(40))")
    }
  }

  @Test("JSON numbers of any length are kept as written", arguments: longNumbers)
  func jsonNumbers(_ number: LongNumber) throws {
    let digits = number.digits
    let written = [digits, "-\(digits)", "1e\(digits)", "\(digits).\(digits)E-\(digits)"]
    let parsed = try JSONParser.parse("[" + written.joined(separator: ", ") + "]")
    let texts = try #require(parsed.elements).map { element -> String? in
      guard case .number(let text) = element.kind else { return nil }
      return text
    }
    #expect(texts == written)
  }

  @Test("a status file whose counters do not fit is not read back", arguments: longNumbers)
  func statusCounters(_ number: LongNumber) {
    let digits = number.digits
    for key in ["passes", "failures", "changesApplied", "lastSuccessEpoch", "lastDrift"] {
      let text = #"{"formatVersion": 1, "source": "file t.yaml", "\#(key)": \#(digits)}"#
      #expect(ReconcileStatus.decode(text) == nil, "\(key)")
    }
  }

  @Test("status counters are read up to JSON's largest exact integer, never near Int.max")
  func statusCounterBoundary() throws {
    let largest = (1 << 53) - 1
    let text = #"{"formatVersion": 1, "source": "file t.yaml", "passes": \#(largest)}"#
    var status = try #require(ReconcileStatus.decode(text))
    #expect(status.passes == largest)
    status.record(PassReport.sample, cluster: nil)
    #expect(status.passes == largest + 1)
    let atMax = #"{"formatVersion": 1, "source": "file t.yaml", "passes": \#(Int.max)}"#
    #expect(ReconcileStatus.decode(atMax) == nil)
  }

  // MARK: - Topology files

  /// A file with `version` as the cluster's track and `body` after `nodes:`.
  static func topology(version: String = "\"1.28\"", _ body: String) -> MarkedYAML {
    MarkedYAML(
      "apiVersion: mktopo/v1\nkind: Topology\ncluster:\n  name: homelab\n"
        + "  version: \(version)\n\(body)"
    )
  }

  static let node = "nodes:\n  - name: a\n    address: 10.0.0.1\n"

  @Test(
    "topology: a long number in a track, at its position with the range",
    arguments: longNumbers
  )
  func topologyTrack(_ number: LongNumber) {
    let digits = number.digits
    let range = "is out of range; the major and minor versions are whole numbers from 0 to 999"
    expectDiagnostic(
      Self.topology(version: "①\"\(digits).28\"", Self.node),
      .error,
      at: "①",
      containing: "invalid MicroK8s version '\(digits.prefix(80))"
    )
    expectDiagnostic(
      Self.topology(version: "①\"1.\(digits)\"", Self.node),
      .error,
      at: "①",
      containing: range
    )
    expectDiagnostic(
      Self.topology(Self.node + "    version: ①\"\(digits).28/stable\"\n"),
      .error,
      at: "①",
      containing: "in 'nodes[0].version': the number '\(digits.prefix(80))"
    )
  }

  @Test("topology: long integers are out of their range", arguments: longNumbers)
  func topologyIntegers(_ number: LongNumber) {
    let digits = number.digits
    let shown = digits.count > 40 ? digits.prefix(40) + "…" : Substring(digits)
    expectDiagnostic(
      Self.topology(Self.node + "    connection: {port: ①\(digits)}\n"),
      .error,
      at: "①",
      containing: "'nodes[0].connection.port' must be between 1 and 65535, found \(shown)"
    )
    expectDiagnostic(
      Self.topology("policy:\n  maxRemovals: ①-\(digits)\n" + Self.node),
      .error,
      at: "①",
      containing: "'policy.maxRemovals' must be between 0 and 1000000, found -"
    )
    expectDiagnostic(
      Self.topology(Self.node + "    connection: {port: ①\"\(digits)\"}\n"),
      .error,
      at: "①",
      containing: "must be an integer, found a string; remove the quotes"
    )
  }

  @Test("topology: long durations and address parts", arguments: longNumbers)
  func topologyDurationsAndAddresses(_ number: LongNumber) {
    let digits = number.digits
    for key in ["joinTimeout", "readyTimeout", "leaveTimeout", "tokenTTL"] {
      expectDiagnostic(
        Self.topology("policy:\n  \(key): ①\(digits)h\n" + Self.node),
        .error,
        at: "①",
        containing: "in 'policy.\(key)': a duration may be at most 7 days (168h)"
      )
    }
    expectDiagnostic(
      Self.topology("nodes:\n  - name: a\n    address: ①10.0.0.\(digits)\n"),
      .error,
      at: "①",
      containing: "each part of an IPv4 address is at most 255"
    )
  }

  // MARK: - Snapshots

  /// One error containing `phrase`, at ① of `json`, and no observed cluster.
  func expectSnapshotError(
    _ json: String,
    _ phrase: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let marked = MarkedYAML(json)
    let load = ObservedSnapshot.decode(marked.text)
    #expect(load.observed == nil, sourceLocation: sourceLocation)
    let matches = load.diagnostics.filter { $0.severity == .error && $0.message.contains(phrase) }
    #expect(matches.count == 1, "\(load.diagnostics)", sourceLocation: sourceLocation)
    #expect(matches.first?.position == marked.position("①"), sourceLocation: sourceLocation)
  }

  @Test("snapshot: long numbers at their positions, with the range", arguments: longNumbers)
  func snapshot(_ number: LongNumber) {
    let digits = number.digits
    typealias Snapshot = ObservedSnapshotProblemTests
    let range = "is out of range; the major and minor versions are whole numbers from 0 to 999"
    expectSnapshotError(
      Snapshot.document(
        probes: #"{"name": "node4", "finding": "standalone", "track": ①"\#(digits).28"}"#
      ),
      "invalid MicroK8s track '\(digits.prefix(80))"
    )
    expectSnapshotError(
      Snapshot.document(
        nodes: #"{"name": "node1", "internalIP": "10.0.0.1", "role": "mixed", "ready": true, "#
          + #""kubeletVersion": ①"v1.\#(digits).3"}"#
      ),
      "invalid Kubernetes version 'v1.\(digits.prefix(77))"
    )
    expectSnapshotError(
      Snapshot.document(
        nodes: #"{"name": "node1", "internalIP": "10.0.0.1", "role": "mixed", "ready": true, "#
          + #""kubeletVersion": ①"v\#(digits).28.3"}"#
      ),
      range
    )
    expectSnapshotError(
      Snapshot.document(datastore: #"{"address": ①"10.0.0.1:\#(digits)", "role": "voter"}"#),
      "expected a number from 1 to 65535"
    )
    expectSnapshotError(Snapshot.document(version: "①\(digits)"), "'formatVersion' must be 1")
  }
}

extension PassReport {
  /// A converged pass, for counting.
  fileprivate static let sample = PassReport(
    startedAt: "2026-01-01T00:00:00Z",
    startedAtEpoch: 1_767_225_600,
    durationMilliseconds: 10,
    revision: nil,
    subject: nil,
    outcome: .converged,
    dryRun: false,
    applied: [],
    drift: 0,
    planned: [],
    message: nil
  )
}

/// A run of digits, named in test results by its length rather than shown in full.
struct LongNumber: CustomTestStringConvertible, Sendable {
  var digits: String
  var testDescription: String { "\(digits.count) digits" }
}
