import Logging
import MembershipCore
import Synchronization
import Testing

@testable import MembershipRuntime

@Suite("Reconcile: log lines")
struct LogLineHandlerTests {
  final class Lines: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
  }

  static func logger(_ format: LogLineHandler.Format, into lines: Lines) -> Logger {
    Logger(label: "test") { _ in
      LogLineHandler(format: format, clock: { "2026-11-25T08:41:07Z" }) { lines.add($0) }
    }
  }

  @Test("text: time, level, message, then the leading keys in order and the rest sorted")
  func text() {
    let lines = Lines()
    Self.logger(.text, into: lines).info(
      "pass",
      metadata: [
        "zeta": "1", "outcome": "converged", "revision": "3f2a", "changes": "0",
        "error": "two words\nand a line",
      ]
    )
    #expect(
      lines.all == [
        "2026-11-25T08:41:07Z info pass revision=3f2a outcome=converged changes=0 "
          + "error=\"two words\\nand a line\" zeta=1\n"
      ]
    )
  }

  @Test("json: one object per line, arrays kept as arrays, reserved keys not overwritten")
  func json() throws {
    let lines = Lines()
    Self.logger(.json, into: lines).warning(
      "pass\nsecond line",
      metadata: [
        "planned": .array(["+ join node2", "- remove node3"]), "message": "sneaky",
        "changes": .stringConvertible(3), "revision": .stringConvertible("42"),
      ]
    )
    let line = try #require(lines.all.first)
    #expect(line.hasSuffix("}\n"))
    #expect(line.filter { $0 == "\n" }.count == 1)
    let parsed = try JSONParser.parse(line)
    #expect(parsed["time"]?.string == "2026-11-25T08:41:07Z")
    #expect(parsed["level"]?.string == "warning")
    #expect(parsed["message"]?.string == "pass\nsecond line")
    #expect(
      parsed["planned"]?.elements?.compactMap(\.string) == ["+ join node2", "- remove node3"]
    )
  }

  @Test("messages below the level are dropped")
  func level() {
    let lines = Lines()
    var logger = Self.logger(.text, into: lines)
    logger.logLevel = .notice
    logger.info("quiet")
    logger.notice("loud")
    #expect(lines.all.count == 1)
    #expect(lines.all.first?.contains("notice loud") == true)
  }
}
