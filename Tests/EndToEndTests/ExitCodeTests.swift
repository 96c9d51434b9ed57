import Foundation
import Testing

/// Exit statuses: 0 valid, 1 invalid or unreadable, 64 usage error.
@Suite("exit codes")
struct ExitCodeTests {
  let mktopo: CommandRunner

  init() throws {
    mktopo = try CommandRunner.mktopo()
  }

  @Test("validate without a file is a usage error (64)")
  func noFileArgument() async {
    let result = await mktopo.run(["validate"])
    #expect(result.status == 64, "stderr:\n\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("name at least one topology file"), "\(result.stderr)")
    #expect(result.stderr.contains("Usage: mktopo validate"), "\(result.stderr)")
  }

  @Test("an unknown option is a usage error (64)")
  func unknownOption() async {
    let result = await mktopo.run(["validate", "--bogus", "examples/single-node.yaml"])
    #expect(result.status == 64, "stderr:\n\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("--bogus"), "\(result.stderr)")
  }

  @Test("a bad --output value is a usage error (64)")
  func badOutputFormat() async {
    let result = await mktopo.run(["validate", "--output", "xml", "examples/single-node.yaml"])
    #expect(result.status == 64, "stderr:\n\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("xml"), "\(result.stderr)")
  }

  @Test("-o stands for --output everywhere; observe takes --output json too")
  func shortOutputOption() async {
    let validated = await mktopo.run(["validate", "-o", "json", "examples/single-node.yaml"])
    #expect(validated.status == 0, "\(validated.stderr)")
    #expect(
      validated.stdout.hasPrefix("{") || validated.stdout.hasPrefix("["),
      "\(validated.stdout)"
    )
    let planned = await mktopo.run([
      "plan", "-f", "Tests/Golden/converged/topology.yaml", "--observed",
      "Tests/Golden/converged/observed.json", "-o", "json",
    ])
    #expect(planned.status == 0, "\(planned.stderr)")
    #expect(planned.stdout.contains("\"formatVersion\""), "\(planned.stdout)")
    let text = await mktopo.run(["observe", "--output", "text", "-f", "examples/single-node.yaml"])
    #expect(text.status == 64, "\(text.stderr)")
    #expect(text.stderr.contains("Please provide one of 'json'"), "\(text.stderr)")
  }

  @Test("an unknown subcommand is a usage error (64)")
  func unknownSubcommand() async {
    let result = await mktopo.run(["frobnicate"])
    #expect(result.status == 64, "stderr:\n\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("Error: unknown command 'frobnicate'\n"), "\(result.stderr)")
    // A misspelt command is named as such, with the nearest one, whatever follows it.
    let misspelt = await mktopo.run(["aply", "-f", "lab.yaml"])
    #expect(misspelt.status == 64)
    #expect(
      misspelt.stderr.contains("unknown command 'aply'; did you mean 'apply'?"),
      "\(misspelt.stderr)"
    )
    // A command's options and file are still checked by the command: --fiel is named.
    let option = await mktopo.run(["plan", "--fiel", "examples/single-node.yaml"])
    #expect(option.status == 64)
    #expect(option.stderr.contains("Unknown option '--fiel'"), "\(option.stderr)")
    #expect(option.stderr.contains("Did you mean '--file'?"), "\(option.stderr)")
  }

  @Test("mktopo version: version, commit, Swift and libyaml, as text or JSON; --version too")
  func versionCommand() async throws {
    let text = await mktopo.run(["version"])
    #expect(text.status == 0, "\(text.stderr)")
    let lines = text.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "mktopo 0.1.0", "\(text.stdout)")
    // A plain `swift build` is told no commit; `make release` and `make install` are.
    #expect(lines.contains("commit: unknown"), "\(text.stdout)")
    #expect(lines.contains { $0.hasPrefix("swift: 6.") }, "\(text.stdout)")
    #expect(lines.contains { $0.hasPrefix("libyaml: 0.") }, "\(text.stdout)")
    let json = await mktopo.run(["version", "-o", "json"])
    #expect(json.stdout.hasSuffix("}\n") && !json.stdout.hasSuffix("\n\n"), "\(json.stdout)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String]
    )
    #expect(Set(object.keys) == ["version", "commit", "swift", "libyaml"])
    #expect(object["version"] == "0.1.0")
    let flag = await mktopo.run(["--version"])
    #expect(flag.stdout == "0.1.0 (commit unknown)\n", "\(flag.stdout)")
  }

  @Test("the topology file goes as an argument or with -f, in every command; not both")
  func topologyArgument() async {
    let snapshot = "Tests/Golden/converged/observed.json"
    let topology = "Tests/Golden/converged/topology.yaml"
    let positional = await mktopo.run(["plan", topology, "--observed", snapshot])
    let option = await mktopo.run(["plan", "-f", topology, "--observed", snapshot])
    #expect(positional.status == 0, "\(positional.stderr)")
    #expect(positional.stdout == option.stdout)
    let both = await mktopo.run(["plan", topology, "-f", "other.yaml", "--observed", snapshot])
    #expect(both.status == 64)
    #expect(both.stderr.contains("two topology files"), "\(both.stderr)")
    let validated = await mktopo.run(["validate", "-f", "examples/single-node.yaml", topology])
    #expect(validated.status == 0, "\(validated.stderr)")
    #expect(validated.stdout.hasPrefix("examples/single-node.yaml: valid"), "\(validated.stdout)")
    let none = await mktopo.run(["status"])
    #expect(none.status == 64)
    #expect(none.stderr.contains("name the topology file"), "\(none.stderr)")
  }

  @Test("a file that does not exist: exit 1, `cannot open`")
  func nonexistentFile() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.url.appendingPathComponent("missing.yaml").path
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.lines.first == "\(path): error: cannot open \(path): No such file or directory",
      "stderr:\n\(result.stderr)"
    )
  }

  @Test("a directory: exit 1, it says it is a directory")
  func directoryArgument() async {
    let result = await mktopo.run(["validate", "examples"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let first = result.stderr.lines.first ?? ""
    #expect(first.hasPrefix("examples: error: "), "\(first)")
    #expect(first.contains("is a directory"), "\(first)")
  }

  @Test("several files with one invalid: exit 1, the valid ones still get their line")
  func oneInvalidAmongSeveral() async {
    let valid = ["examples/single-node.yaml", "examples/bastion.yaml"]
    let invalid = "Tests/Fixtures/schema/invalid/bad-role.yaml"
    let result = await mktopo.run(["validate", valid[0], invalid, valid[1]])
    #expect(result.status == 1)
    let lines = result.stdout.lines
    #expect(lines.count == 2, "stdout:\n\(result.stdout)")
    #expect(lines.first?.hasPrefix("\(valid[0]): valid") == true, "\(result.stdout)")
    #expect(lines.last?.hasPrefix("\(valid[1]): valid") == true, "\(result.stdout)")
    // stdout and stderr are kept apart: errors only on stderr, summaries only on stdout.
    #expect(!result.stdout.contains(invalid), "\(result.stdout)")
    #expect(result.stderr.lines.first?.hasPrefix("\(invalid):10:11: error: ") == true)
    #expect(!result.stderr.contains(": valid"), "\(result.stderr)")
  }

  @Test("an unreadable file among valid ones: exit 1, the others are still checked")
  func missingAmongSeveral() async {
    let result = await mktopo.run(["validate", "examples/single-node.yaml", "no-such-file.yaml"])
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("examples/single-node.yaml: valid"), "\(result.stdout)")
    #expect(result.stderr.contains("no-such-file.yaml: error: cannot open"), "\(result.stderr)")
  }

  @Test("errors in several files are all reported in one run")
  func errorsInEveryFile() async {
    let files = [
      "Tests/Fixtures/schema/invalid/bad-role.yaml",
      "Tests/Fixtures/schema/invalid/port-zero.yaml",
    ]
    let result = await mktopo.run(["validate"] + files)
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(files[0]):10:11: error: "), "\(result.stderr)")
    #expect(result.stderr.contains("\(files[1]):9:11: error: "), "\(result.stderr)")
  }

  @Test("warnings alone leave the exit status at 0")
  func warningsExitZero() async throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("pair.yaml", Topologies.twoMixedNodes)
    let result = await mktopo.run(["validate", path])
    #expect(result.status == 0, "stderr:\n\(result.stderr)")
    #expect(result.stdout.hasPrefix("\(path): valid (1 warning): "), "\(result.stdout)")
    #expect(result.stderr.hasPrefix("\(path):9:5: warning: "), "\(result.stderr)")
  }

  @Test("`mktopo --version` and `validate --help` exit 0")
  func versionAndHelp() async {
    let version = await mktopo.run(["--version"])
    #expect(version.status == 0)
    #expect(!version.stdout.isEmpty)
    let help = await mktopo.run(["validate", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--output"), "\(help.stdout)")
    // Every level swift-log has, as the help says.
    let reconcile = await mktopo.run(["reconcile", "--help"])
    let flat = reconcile.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      flat.contains("trace, debug, info, notice, warning, error or critical"),
      "\(reconcile.stdout)"
    )
  }
}

@Suite("validate: standard input named twice")
struct RepeatedStandardInputTests {
  @Test("'-' twice is a usage error (64), since standard input can be read only once")
  func twice() async throws {
    let result = try await CommandRunner.mktopo()
      .run(["validate", "-", "-"], stdin: Array("kind: Topology\n".utf8))
    #expect(result.status == 64)
    #expect(result.stderr.contains("'-' (standard input) can be named only once"))
  }
}
