import Foundation
import Testing

/// `mktopo schema`: prints schema/topology.schema.json.
@Suite("schema command")
struct SchemaCommandTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  @Test("prints exactly schema/topology.schema.json (plus at most a trailing newline)")
  func printsTheSchemaFile() async throws {
    let file = try Fixtures.text("schema/topology.schema.json")
    let result = await mktopo.run(["schema"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let same = result.stdout == file || result.stdout == file + "\n"
    #expect(
      same,
      "`mktopo schema` differs from schema/topology.schema.json; run scripts/embed-schema.sh"
    )
    if !same {
      let printed = result.stdout.lines
      let expected = file.lines
      let index =
        zip(printed, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(printed.count, expected.count)
      Issue.record(
        """
        first difference at line \(index + 1):
          printed: \(index < printed.count ? printed[index] : "<end>")
          file:    \(index < expected.count ? expected[index] : "<end>")
        """
      )
    }
  }

  @Test("the output is a JSON Schema of draft 2020-12 for the topology")
  func outputIsDraft202012() async throws {
    let result = await mktopo.run(["schema"])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    let schema = try #require(object as? [String: Any])
    #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    #expect(schema["type"] as? String == "object")
    let required = try #require(schema["required"] as? [String])
    #expect(Set(required) == ["apiVersion", "kind", "cluster", "nodes"])
    let properties = try #require(schema["properties"] as? [String: Any])
    #expect(
      Set(properties.keys) == ["apiVersion", "kind", "cluster", "defaults", "policy", "nodes"]
    )
  }

  @Test("schema takes no file argument (usage error 64)")
  func extraArgumentIsUsageError() async {
    let result = await mktopo.run(["schema", "examples/single-node.yaml"])
    #expect(result.status == 64, "stderr:\n\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}
