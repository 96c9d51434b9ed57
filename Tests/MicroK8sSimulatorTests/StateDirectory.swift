import Foundation

/// A temporary state directory for one test, removed when the value goes away.
final class StateDirectory {
  let path: String

  init() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("microk8s-sim-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// The raw state file.
  func worldFile() throws -> String {
    try String(contentsOfFile: path + "/world.json", encoding: .utf8)
  }
}
