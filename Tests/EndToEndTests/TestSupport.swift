import Foundation
import Testing

/// Where things are: the package root and the built `mktopo`.
enum Paths {
  /// Three levels up from this file: Tests/EndToEndTests/TestSupport.swift.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

  struct MissingBinary: Error, CustomStringConvertible {
    var description: String
  }

  /// `mktopo`, next to the test runner: SwiftPM puts every product of a build in one
  /// bin directory.
  static func mktopoBinary() throws -> URL {
    let runner: String
    do {
      runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    } catch {
      throw MissingBinary(
        description: "cannot read /proc/self/exe to find the bin directory: \(error)"
      )
    }
    let binary = URL(fileURLWithPath: runner).deletingLastPathComponent()
      .appendingPathComponent("mktopo")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw MissingBinary(
        description: """
          the mktopo executable is not at \(binary.path) (beside the test runner \(runner)); \
          build it first with `swift build --build-tests`
          """
      )
    }
    return binary
  }

  /// The absolute path of a file given relative to the package root.
  static func absolute(_ relative: String) -> String {
    packageRoot.appendingPathComponent(relative).path
  }
}

/// The topology files kept in the repository, as paths relative to the package root
/// (the form diagnostics use when mktopo runs in the package root).
enum Fixtures {
  static let examples = yamlFiles(in: "examples")
  static let valid = yamlFiles(in: "Tests/Fixtures/schema/valid")
  static let invalid = yamlFiles(in: "Tests/Fixtures/schema/invalid")

  static func yamlFiles(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.absolute(directory)))
    return (names ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
  }

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Paths.packageRoot.appendingPathComponent(relative)))
  }

  static func text(_ relative: String) throws -> String {
    String(decoding: try bytes(relative), as: UTF8.self)
  }

  /// The 1-based line `number` of a repository file, without its line break.
  static func line(_ number: Int, of relative: String) throws -> String {
    let lines = try text(relative).split(separator: "\n", omittingEmptySubsequences: false)
    return String(lines[number - 1])
  }
}

/// A directory removed when the value goes away; files are written into it for a test.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("mktopo-e2e-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `bytes` to `name` and returns the file's absolute path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = url.appendingPathComponent(name)
    try Data(bytes).write(to: file)
    return file.path
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, Array(text.utf8))
  }
}

/// The first line of a compiler-style diagnostic: `FILE:LINE:COL: SEVERITY: MESSAGE`.
struct DiagnosticHeader: Equatable, CustomStringConvertible {
  var file: String
  var line: Int
  var column: Int
  var severity: String
  var message: String

  /// Parses `text` as a header for `file` (named so that a `:` in a path is no problem).
  init?(_ text: String, file: String) {
    guard text.hasPrefix(file + ":") else { return nil }
    let rest = text.dropFirst(file.count + 1)
    guard let match = try? #/^(\d+):(\d+): (error|warning|note): (.*)$/#.wholeMatch(in: rest),
      let line = Int(match.output.1), let column = Int(match.output.2)
    else { return nil }
    self.file = file
    self.line = line
    self.column = column
    self.severity = String(match.output.3)
    self.message = String(match.output.4)
  }

  var description: String { "\(file):\(line):\(column): \(severity): \(message)" }
}

/// Sample topologies written by tests.
enum Topologies {
  /// Two mixed nodes: valid, with the "no high availability" warning on line 9.
  static let twoMixedNodes = """
    apiVersion: mktopo/v1
    kind: Topology
    cluster:
      name: pair
      version: "1.28"
    nodes:
      - name: node1
        address: 192.168.1.10
      - name: node2
        address: 192.168.1.11

    """

  /// `cluster.name` given twice: an error on line 6, first declared on line 4.
  static let duplicateKey = """
    apiVersion: mktopo/v1
    kind: Topology
    cluster:
      name: homelab
      version: "1.28"
      name: other
    nodes:
      - name: node1
        address: 192.168.1.10

    """
}

extension String {
  /// The lines of the text, without a final empty line after a trailing line break.
  var lines: [String] {
    var result = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if result.last == "" { result.removeLast() }
    return result
  }

  /// True when the text holds an ANSI escape (ESC, U+001B).
  var containsEscape: Bool { unicodeScalars.contains("\u{1B}") }
}

/// The full path of `name` found on PATH, like `which`.
func which(_ name: String) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  for directory in path.split(separator: ":") {
    let candidate = "\(directory)/\(name)"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}

/// `text` quoted for a POSIX shell.
func shellQuote(_ text: String) -> String {
  "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
