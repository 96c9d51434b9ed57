import Foundation
import MembershipCore
import Testing

/// Golden plans: for each folder of Tests/Golden, the plan made from its `topology.yaml` and
/// `observed.json` must render byte for byte as its `plan.txt` and `plan.json`.
///
/// Re-record with `RECORD_SNAPSHOTS=1 swift test --filter PlanGolden` (or `make golden`):
/// the files are rewritten and every case fails on purpose, so a re-recording never
/// passes silently; review the diff, then run again without the variable.
@Suite("PlanGolden: plans rendered from topology and observed-state files")
struct PlanGoldenTests {
  /// Every case, one folder each; a folder missing from this list fails a test.
  static let cases = [
    "address-mismatch-blocked",
    "add-worker",
    "bootstrap-fresh-world",
    "converged",
    "foreign-topology-refused",
    "ghost-cleanup",
    "ghost-warning",
    "grow-one-to-two",
    "grow-two-to-three",
    "install-bare-worker",
    "prune-max-removals-exceeded",
    "remove-every-member-refused",
    "remove-unreachable-control-plane",
    "remove-voter-without-quorum-blocked",
    "remove-worker",
    "replace-node3-with-node4",
    "role-change-worker-to-mixed",
    "unreachable-node-blocked",
    "upgrade-two-minors",
    "version-mismatch-blocked",
    "voter-down-blocks-control-plane-join",
  ]

  static let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"

  @Test("each case plans and renders exactly as its plan.txt and plan.json", arguments: cases)
  func golden(_ name: String) throws {
    let plan = try GoldenCase.plan(name)
    let rendered = [
      ("plan.txt", PlanRenderer.text(plan)),
      ("plan.json", PlanRenderer.json(plan)),
    ]
    if Self.recording {
      for (file, text) in rendered {
        try Data(text.utf8).write(to: GoldenCase.url(name, file))
      }
      Issue.record(
        "re-recorded \(name); review the diff and run again without RECORD_SNAPSHOTS"
      )
      return
    }
    for (file, text) in rendered {
      let url = GoldenCase.url(name, file)
      guard let expected = try? Data(contentsOf: url) else {
        Issue.record(
          """
          \(GoldenCase.relative(name, file)) is missing; record it with \
          RECORD_SNAPSHOTS=1 swift test --filter PlanGolden
          """
        )
        continue
      }
      #expect(
        Data(text.utf8) == expected,
        """
        \(GoldenCase.relative(name, file)) differs from the plan rendered now; if the change \
        is intended, re-record with RECORD_SNAPSHOTS=1 swift test --filter PlanGolden.
        Rendered now:
        \(text)
        """
      )
    }
  }

  @Test("the case list names every folder of Tests/Golden, and each has its four files")
  func caseListMatchesFolders() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: GoldenCase.root.path)
      .filter { !$0.hasPrefix(".") }.sorted()
    #expect(folders == Self.cases.sorted())
    for name in Self.cases {
      for file in GoldenCase.files {
        #expect(
          FileManager.default.fileExists(atPath: GoldenCase.url(name, file).path),
          "\(GoldenCase.relative(name, file)) is missing"
        )
      }
    }
  }

  @Test("no plan output contains a token-like run of 32 hex digits", arguments: cases)
  func noTokenInOutput(_ name: String) throws {
    let plan = try GoldenCase.plan(name)
    // The fingerprint is 64 hex digits by design; everything else must have no long run.
    let json = PlanRenderer.json(plan).replacingOccurrences(
      of: "\"\(plan.observedFingerprint)\"",
      with: "\"\""
    )
    for (form, text) in [("text", PlanRenderer.text(plan)), ("JSON", json)] {
      #expect(
        GoldenCase.longestHexRun(text) < 32,
        "the \(form) plan of \(name) holds a run of 32 or more hex digits, like a join token"
      )
    }
    #expect(plan.observedFingerprint.count == 64, "\(name): the fingerprint is not SHA-256 hex")
  }

  @Test("every golden plan.json is valid against schema/plan.schema.json (python3 jsonschema)")
  func schemaValidation() throws {
    let files = Self.cases.map { GoldenCase.url($0, "plan.json").path }
    let verdicts = try SchemaCheck.verdicts(schema: "schema/plan.schema.json", files: files)
    for file in files where verdicts[file] != "valid" {
      Issue.record(
        "schema/plan.schema.json rejects a golden plan: \(file): \(verdicts[file] ?? "no verdict")"
      )
    }
  }
}

extension PlanGoldenTests {
  /// Edits of a golden plan.json that the schema must reject: (what, replace, with).
  static let breakages = [
    (
      "a join token in add-node's arguments", #""<token>","#,
      #""0123456789abcdef0123456789abcdef","#
    ),
    ("another formatVersion", #""formatVersion": 1"#, #""formatVersion": 2"#),
    ("an unknown action", #""action": "join""#, #""action": "add""#),
    ("an unknown verb", #""verb": "leave""#, #""verb": "reset""#),
    ("a role on a removal", #""role": null"#, #""role": "mixed""#),
    ("a port in votersAfter", #""192.168.1.13"\#n"#, #""192.168.1.13:19001"\#n"#),
    ("an unknown key", #""reason": "state: absent""#, #""reason": "state: absent", "x": 1"#),
    ("--force before the name", #""node3"\#n"#, #""--force"\#n"#),
  ]

  @Test("the schema rejects a plan with a leaked token, an unknown key or a wrong value")
  func schemaRejectsBrokenPlans() throws {
    let original = try String(
      contentsOf: GoldenCase.url("replace-node3-with-node4", "plan.json"),
      encoding: .utf8
    )
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("plan-golden-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var files: [String: String] = [:]
    for (index, (what, target, replacement)) in Self.breakages.enumerated() {
      #expect(original.contains(target), "the edit for \(what) no longer applies")
      let file = directory.appendingPathComponent("broken-\(index).json").path
      try Data(original.replacingOccurrences(of: target, with: replacement).utf8)
        .write(to: URL(fileURLWithPath: file))
      files[file] = what
    }
    let verdicts = try SchemaCheck.verdicts(
      schema: "schema/plan.schema.json",
      files: files.keys.sorted()
    )
    for (file, what) in files.sorted(by: { $0.key < $1.key }) {
      if verdicts[file] == "valid" {
        Issue.record("schema/plan.schema.json accepts a plan with \(what)")
      } else if verdicts[file]?.hasPrefix("not JSON") == true {
        // Each edit must keep the file JSON, so that the schema is what rejects it.
        Issue.record("the edit for \(what) makes the plan invalid JSON: \(verdicts[file] ?? "")")
      }
    }
  }
}

/// Where the golden files are, and the plan each case's inputs give.
private enum GoldenCase {
  /// The input and expected files of every case.
  static let files = ["topology.yaml", "observed.json", "plan.txt", "plan.json"]

  static let root = PackagePaths.root.appendingPathComponent("Tests/Golden")

  static func url(_ name: String, _ file: String) -> URL {
    root.appendingPathComponent(name).appendingPathComponent(file)
  }

  /// The path relative to the package root, as messages show it.
  static func relative(_ name: String, _ file: String) -> String {
    "Tests/Golden/\(name)/\(file)"
  }

  struct BadInput: Error, CustomStringConvertible {
    var description: String
  }

  /// Loads both inputs of a case, failing with their diagnostics, and plans.
  static func plan(_ name: String) throws -> Plan {
    let topologyFile = relative(name, "topology.yaml")
    let observedFile = relative(name, "observed.json")
    let topologyLoad = TopologyLoader.load(
      [UInt8](try Data(contentsOf: url(name, "topology.yaml"))),
      file: topologyFile
    )
    let observedLoad = ObservedSnapshot.decode(
      [UInt8](try Data(contentsOf: url(name, "observed.json"))),
      file: observedFile
    )
    // Topology warnings (such as an even control-plane count) are part of some
    // scenarios; errors are not, and a snapshot has no warnings.
    let diagnostics = topologyLoad.diagnostics + observedLoad.diagnostics
    guard !diagnostics.containsErrors, let topology = topologyLoad.topology,
      let observed = observedLoad.observed
    else {
      throw BadInput(
        description: "the inputs of golden case \(name) do not load cleanly:\n"
          + diagnostics.map(\.description).joined(separator: "\n")
      )
    }
    return Planner.plan(desired: topology, observed: observed, fingerprint: observed.fingerprint)
  }

  /// The length of the longest run of ASCII hex digits in `text`.
  static func longestHexRun(_ text: String) -> Int {
    var longest = 0
    var run = 0
    for byte in text.utf8 {
      let isHex =
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
      run = isHex ? run + 1 : 0
      longest = max(longest, run)
    }
    return longest
  }
}
