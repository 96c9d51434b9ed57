import Foundation
import Testing

/// The built `microk8s-sim`, run as a separate process.
struct SimulatorBinary {
  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  /// What one run produced.
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  let url: URL

  /// SwiftPM puts every product of a build in one bin directory, beside the test runner.
  init() throws {
    let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    url = URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent(
      "microk8s-sim"
    )
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw Missing(
        description: "microk8s-sim is not at \(url.path) (beside the test runner \(runner)); "
          + "build it first with `swift build --build-tests`"
      )
    }
  }

  /// A started process whose output goes to files in `scratch`.
  final class Started {
    let process = Process()
    let stdout: URL
    let stderr: URL
    private let handles: [FileHandle]

    init(_ binary: URL, _ arguments: [String], environment: [String: String], scratch: URL) throws {
      let id = UUID().uuidString
      stdout = scratch.appendingPathComponent("\(id).out")
      stderr = scratch.appendingPathComponent("\(id).err")
      guard FileManager.default.createFile(atPath: stdout.path, contents: nil),
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
      else { throw Missing(description: "cannot create output files in \(scratch.path)") }
      let out = try FileHandle(forWritingTo: stdout)
      let err = try FileHandle(forWritingTo: stderr)
      handles = [out, err]
      process.executableURL = binary
      process.arguments = arguments
      var variables = ProcessInfo.processInfo.environment
      variables.removeValue(forKey: "SSH_CONNECTION")
      variables.removeValue(forKey: "MICROK8S_SIM_STATE")
      variables.merge(environment) { _, new in new }
      process.environment = variables
      process.standardOutput = out
      process.standardError = err
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    func wait() -> Run {
      process.waitUntilExit()
      for handle in handles { try? handle.close() }
      let out = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
      let err = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
      return Run(status: process.terminationStatus, stdout: out, stderr: err)
    }
  }

  func start(
    _ arguments: [String],
    environment: [String: String] = [:],
    scratch: URL
  ) throws -> Started {
    try Started(url, arguments, environment: environment, scratch: scratch)
  }

  func run(_ arguments: [String], environment: [String: String] = [:], scratch: URL) throws -> Run {
    try start(arguments, environment: environment, scratch: scratch).wait()
  }
}
