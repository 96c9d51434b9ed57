import ArgumentParser
import MembershipCore
import MembershipRuntime

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check topology files and report every problem in one run.",
    discussion: """
      Diagnostics are printed compiler style (FILE:LINE:COL: error: MESSAGE, the source \
      line and a caret) on standard error; a summary of each valid file on standard output.
      Exit status: 0 all files valid (warnings allowed), 1 any file invalid, 64 usage error.
      """
  )

  @Argument(help: "Topology files to check; '-' reads standard input.")
  var arguments: [String] = []

  /// `-f FILE`, as the other commands take the topology; may be repeated.
  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp("A topology file to check, as the arguments are.", valueName: "file")
  )
  var fileOptions: [String] = []

  /// The files, in the order given: options first, then arguments.
  var files: [String] { fileOptions + arguments }

  @Option(
    name: .shortAndLong,
    help: "Output format: text or json (diagnostics as JSON on standard output)."
  )
  var output: OutputFormat = .text

  @Flag(help: "Also list every node of each valid file.")
  var summary = false

  func validate() throws {
    guard !files.isEmpty else {
      throw ValidationError("name at least one topology file, or '-' for standard input")
    }
    guard files.filter({ $0 == "-" }).count <= 1 else {
      throw ValidationError("'-' (standard input) can be named only once")
    }
  }

  func run() throws {
    var all: [Diagnostic] = []
    var sources: [String: [UInt8]] = [:]
    var report = ""
    for path in files {
      let input = InputFile(path: path)
      let name = input.name
      guard let bytes = input.read(limit: TopologyLoader.maxFileSize, into: &all) else { continue }
      // An oversized file is refused at 1:1; its bytes are no use for showing that.
      if bytes.count <= TopologyLoader.maxFileSize { sources[name] = bytes }
      let load = TopologyLoader.load(bytes, file: name)
      all += load.diagnostics
      if let topology = load.topology {
        let warnings = load.diagnostics.warningCount
        let note = warnings == 0 ? "" : " (\(warnings) warning\(warnings == 1 ? "" : "s"))"
        report += "\(name): valid\(note): \(TopologySummary.line(topology))\n"
        if summary { report += TopologySummary.table(topology) }
      }
    }
    switch output {
    case .json:
      Terminal.write(DiagnosticJSON.render(all), to: .standardOutput)
    case .text:
      InputFile.report(all, sources: sources)
      Terminal.write(report, to: .standardOutput)
    }
    if all.containsErrors { throw ExitCode(1) }
  }
}
