import Foundation

/// Files of the package the tests read: fixtures, golden files and schemas.
enum PackagePaths {
  /// Three levels up from Tests/MembershipCoreTests/PackagePaths.swift.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The `.json` files in `directory`, sorted, as paths relative to the package root.
  static func jsonFiles(in directory: String) -> [String] {
    let names = try? FileManager.default.contentsOfDirectory(
      atPath: root.appendingPathComponent(directory).path
    )
    return (names ?? []).filter { $0.hasSuffix(".json") }.sorted().map { directory + "/" + $0 }
  }

  /// The bytes of a file, by its path relative to the package root.
  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
  }
}
