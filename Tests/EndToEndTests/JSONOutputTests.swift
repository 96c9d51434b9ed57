import Foundation
import Testing

/// `validate --output json`: one JSON document on standard output, nothing on stderr.
@Suite("validate --output json")
struct JSONOutputTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  /// Runs `validate --output json ARGS`, checks that stderr is empty, parses stdout.
  func report(
    _ arguments: [String],
    stdin: [UInt8]? = nil
  ) async throws -> (status: Int32, json: [String: Any]) {
    let result = await mktopo.run(["validate", "--output", "json"] + arguments, stdin: stdin)
    #expect(result.stderr.isEmpty, "JSON mode wrote to stderr:\n\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    let json = try #require(
      object as? [String: Any],
      "stdout is not a JSON object:\n\(result.stdout)"
    )
    return (result.status, json)
  }

  /// Checks the shape of one diagnostic (and, recursively, its notes); returns it typed.
  @discardableResult
  func checkDiagnostic(_ value: Any) throws -> [String: Any] {
    let diagnostic = try #require(value as? [String: Any], "\(value)")
    #expect(
      Set(diagnostic.keys) == ["severity", "message", "file", "line", "column", "notes"],
      "\(diagnostic)"
    )
    let severity = try #require(diagnostic["severity"] as? String)
    #expect(["error", "warning", "note"].contains(severity))
    #expect((diagnostic["message"] as? String)?.isEmpty == false)
    #expect(diagnostic["file"] is String || diagnostic["file"] is NSNull)
    for key in ["line", "column"] {
      if let number = diagnostic[key] as? Int {
        #expect(number >= 1, "\(key) \(number)")
      } else {
        #expect(diagnostic[key] is NSNull, "\(key): \(String(describing: diagnostic[key]))")
      }
    }
    let notes = try #require(diagnostic["notes"] as? [Any], "\(diagnostic)")
    for note in notes { try checkDiagnostic(note) }
    return diagnostic
  }

  /// Checks the top-level shape and that the counts agree with the diagnostics.
  func checkReport(_ json: [String: Any]) throws -> [[String: Any]] {
    #expect(
      Set(json.keys) == ["formatVersion", "valid", "errorCount", "warningCount", "diagnostics"],
      "\(json.keys)"
    )
    #expect(json["formatVersion"] as? Int == 1)
    let list = try #require(json["diagnostics"] as? [Any])
    let diagnostics = try list.map { try checkDiagnostic($0) }
    let errors = diagnostics.filter { $0["severity"] as? String == "error" }.count
    let warnings = diagnostics.filter { $0["severity"] as? String == "warning" }.count
    #expect(json["errorCount"] as? Int == errors)
    #expect(json["warningCount"] as? Int == warnings)
    #expect(json["valid"] as? Bool == (errors == 0))
    return diagnostics
  }

  @Test("an invalid file beside a valid one: one document, valid false, exit 1")
  func invalidAndValid() async throws {
    let invalid = "Tests/Fixtures/schema/invalid/unknown-node-key-typo.yaml"
    let (status, json) = try await report([invalid, "examples/single-node.yaml"])
    #expect(status == 1)
    let diagnostics = try checkReport(json)
    #expect(json["valid"] as? Bool == false)
    #expect(json["errorCount"] as? Int == 1)
    #expect(json["warningCount"] as? Int == 0)
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic["severity"] as? String == "error")
    #expect(diagnostic["file"] as? String == invalid)
    #expect(diagnostic["line"] as? Int == 11)
    #expect(diagnostic["column"] as? Int == 5)
    #expect((diagnostic["message"] as? String)?.contains("unknown key 'adress'") == true)
  }

  @Test("every invalid fixture: valid false, exit 1, every error names its file")
  func everyInvalidFixture() async throws {
    let (status, json) = try await report(Fixtures.invalid)
    #expect(status == 1)
    let diagnostics = try checkReport(json)
    #expect(json["valid"] as? Bool == false)
    let files = Set(diagnostics.compactMap { $0["file"] as? String })
    #expect(files == Set(Fixtures.invalid))
  }

  @Test("a duplicate key: the note has its own position")
  func duplicateKeyNote() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("duplicate.yaml", Topologies.duplicateKey)
    let (status, json) = try await report([path])
    #expect(status == 1)
    let diagnostics = try checkReport(json)
    let error = try #require(diagnostics.first)
    #expect(error["message"] as? String == "duplicate key 'name' in cluster")
    #expect(error["line"] as? Int == 6)
    #expect(error["column"] as? Int == 3)
    let notes = try #require(error["notes"] as? [[String: Any]])
    let note = try #require(notes.first)
    #expect(note["severity"] as? String == "note")
    #expect(note["message"] as? String == "first declared here")
    #expect(note["file"] as? String == path)
    #expect(note["line"] as? Int == 4)
    #expect(note["column"] as? Int == 3)
  }

  @Test("warnings only: valid true, exit 0, warningCount >= 1")
  func warningsOnly() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("pair.yaml", Topologies.twoMixedNodes)
    let (status, json) = try await report([path])
    #expect(status == 0)
    let diagnostics = try checkReport(json)
    #expect(json["valid"] as? Bool == true)
    #expect(json["errorCount"] as? Int == 0)
    #expect((json["warningCount"] as? Int ?? 0) >= 1)
    let warning = try #require(diagnostics.first)
    #expect(warning["severity"] as? String == "warning")
    #expect(
      (warning["message"] as? String)?.contains("do not give high availability") == true,
      "\(warning)"
    )
    #expect(warning["line"] as? Int == 9)
    #expect(warning["column"] as? Int == 5)
  }

  @Test("every example and valid fixture: valid true, exit 0, no errors")
  func everyValidFile() async throws {
    let (status, json) = try await report(Fixtures.examples + Fixtures.valid)
    #expect(status == 0)
    let diagnostics = try checkReport(json)
    #expect(json["valid"] as? Bool == true)
    #expect(json["errorCount"] as? Int == 0)
    #expect(diagnostics.allSatisfy { $0["severity"] as? String == "warning" })
  }

  @Test("an unreadable file: file set, line and column null")
  func unreadableFile() async throws {
    let (status, json) = try await report(["no-such-file.yaml"])
    #expect(status == 1)
    let diagnostics = try checkReport(json)
    let error = try #require(diagnostics.first)
    #expect(error["file"] as? String == "no-such-file.yaml")
    #expect(error["line"] is NSNull)
    #expect(error["column"] is NSNull)
    #expect((error["message"] as? String)?.contains("cannot open") == true)
  }

  @Test("stdin in JSON mode is named <stdin>")
  func standardInput() async throws {
    let bytes = try Fixtures.bytes("Tests/Fixtures/schema/invalid/bad-role.yaml")
    let (status, json) = try await report(["-"], stdin: bytes)
    #expect(status == 1)
    let error = try #require(try checkReport(json).first)
    #expect(error["file"] as? String == "<stdin>")
    #expect(error["line"] as? Int == 10)
    #expect(error["column"] as? Int == 11)
  }

  @Test("--summary does not add anything to the JSON document")
  func summaryInJSONMode() async throws {
    let (status, json) = try await report(["--summary", "examples/three-node-ha.yaml"])
    #expect(status == 0)
    #expect(try checkReport(json).isEmpty)
  }
}
