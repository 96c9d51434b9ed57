import Foundation
import MembershipCore
import Testing

/// Messages send operators to docs/microk8s-behaviour.md by heading, and only there: the
/// design notes the simulator was written from are not part of a release.
@Suite("Behaviour page citations")
struct BehaviourSectionTests {
  /// The headings of the page, without their `#` marks.
  static func headings() throws -> Set<String> {
    let text = String(decoding: try PackagePaths.bytes(BehaviourSection.page), as: UTF8.self)
    let lines = text.split(separator: "\n").filter { $0.hasPrefix("#") }
    return Set(lines.map { String($0.drop { $0 == "#" }.dropFirst()) })
  }

  @Test(
    "every section a message cites is a heading of the page",
    arguments: BehaviourSection.allCases
  )
  func sectionExists(_ section: BehaviourSection) throws {
    #expect(try Self.headings().contains(section.rawValue), "\(section.rawValue)")
    #expect(section.citation == "docs/microk8s-behaviour.md, \"\(section.rawValue)\"")
  }

  @Test("no failure's message cites the design notes", arguments: MicroK8sFailureTests.everyCase)
  func noDesignNotes(_ failure: MicroK8sFailure) {
    for text in [failure.summary, failure.remedy, failure.description] {
      #expect(!text.contains("contract"), "\(text)")
      #expect(!text.contains("§"), "\(text)")
      #expect(!text.contains("research/"), "\(text)")
    }
  }

  @Test("failures the page explains point at their section")
  func remediesCiteTheirSection() {
    let cited: [(MicroK8sFailure, BehaviourSection)] = [
      (.alreadyKnownToDatastore(address: "10.0.0.2"), .ghosts),
      (.onlyVoter, .onlyVoter),
      (.invalidToken, .singleUseTokens),
      (.versionMismatch(expected: Track(major: 1, minor: 28), found: nil), .versionSkew),
      (.duplicateHostname(name: "n", registeredAddress: nil), .duplicateHostnames),
      (.lowMemory, .lowMemoryGuard),
      (.registeredWithDatastore(name: "n"), .removeNode),
      (.invalidJoinAddress(reason: "Invalid master IP"), .joinAddresses),
    ]
    for (failure, section) in cited {
      #expect(failure.remedy.contains("see " + section.citation), "\(failure.remedy)")
      // What the operator reads, after redaction, still names the page and the heading.
      #expect(failure.description.contains(section.citation), "\(failure.description)")
    }
  }
}
