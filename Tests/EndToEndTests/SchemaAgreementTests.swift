import Foundation
import Testing

/// The JSON Schema (checked with python3 jsonschema) and mktopo's loader agree on every
/// example and fixture.
@Suite("schema and loader agree")
struct SchemaAgreementTests {
  static let setupHint = "run `make setup` to install python3's jsonschema and yaml modules"

  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// Runs scripts/schema_check.py over `files`; the verdict (`valid`/`invalid`) per file,
  /// or nil after recording why the check could not run.
  func schemaVerdicts(_ files: [String]) async -> [String: String]? {
    guard let python = which("python3") else {
      Issue.record("python3 is not on PATH; \(Self.setupHint)")
      return nil
    }
    let runner = CommandRunner(executable: URL(fileURLWithPath: python))
    let probe = await runner.run(["-c", "import jsonschema, yaml"])
    guard probe.status == 0 else {
      Issue.record("python3 cannot import jsonschema and yaml (\(probe.stderr)); \(Self.setupHint)")
      return nil
    }
    let result = await runner.run(
      ["scripts/schema_check.py", "schema/topology.schema.json"] + files
    )
    guard result.status == 0 else {
      Issue.record(
        "scripts/schema_check.py exited \(result.status): \(result.stderr)\n\(Self.setupHint)"
      )
      return nil
    }
    var verdicts: [String: String] = [:]
    for line in result.stdout.lines {
      if line.hasPrefix("valid ") {
        verdicts[String(line.dropFirst("valid ".count))] = "valid"
      } else if line.hasPrefix("invalid "), let colon = line.range(of: ": ") {
        verdicts[String(line[line.index(line.startIndex, offsetBy: 8)..<colon.lowerBound])] =
          "invalid"
      } else {
        Issue.record("unexpected line from schema_check.py: \(line)")
      }
    }
    return verdicts
  }

  /// mktopo's verdict on one file.
  func loaderVerdict(_ file: String) async -> String {
    let result = await mktopo.run(["validate", file])
    switch result.status {
    case 0: return "valid"
    case 1: return "invalid"
    default:
      Issue.record("mktopo validate \(file) exited \(result.status): \(result.stderr)")
      return "exit \(result.status)"
    }
  }

  @Test("every example and valid fixture is valid for both; every invalid fixture invalid for both")
  func schemaAndLoaderAgree() async throws {
    let valid = Fixtures.examples + Fixtures.valid
    let invalid = Fixtures.invalid
    try #require(!valid.isEmpty && !invalid.isEmpty, "no fixtures found")
    // schemaVerdicts has recorded why, with the `make setup` hint, when it returns nil.
    guard let schema = await schemaVerdicts(valid + invalid) else { return }
    for file in valid {
      #expect(schema[file] == "valid", "schema: \(schema[file] ?? "no verdict") for \(file)")
      #expect(await loaderVerdict(file) == "valid", "mktopo rejects \(file)")
    }
    for file in invalid {
      #expect(schema[file] == "invalid", "schema: \(schema[file] ?? "no verdict") for \(file)")
      #expect(await loaderVerdict(file) == "invalid", "mktopo accepts \(file)")
    }
  }

  @Test("every example starts with the yaml-language-server schema comment")
  func examplesPointAtTheSchema() async throws {
    try #require(!Fixtures.examples.isEmpty)
    for example in Fixtures.examples {
      let first = try Fixtures.line(1, of: example)
      #expect(
        first == "# yaml-language-server: $schema=../schema/topology.schema.json",
        "\(example) starts with: \(first)"
      )
    }
  }
}
