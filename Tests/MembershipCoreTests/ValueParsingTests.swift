import Testing

@testable import MembershipCore

@Suite("Values: tracks, addresses, durations, names")
struct ValueParsingTests {
  @Test(
    "tracks",
    arguments: [
      ("1.28", "1.28/stable"), ("1.28/stable", "1.28/stable"),
      ("1.30-strict/edge", "1.30-strict/edge"),
      ("1.9/candidate", "1.9/candidate"),
    ]
  )
  func tracks(text: String, channel: String) {
    #expect(Track.parse(text)?.channel == channel)
  }

  @Test(
    "not tracks",
    arguments: [
      "1", "1.28.3", "v1.28", "1.28/nightly", "latest", "1.", ".28", "1.2345", "1.28-classic", "",
    ]
  )
  func notTracks(text: String) {
    #expect(Track.parse(text) == nil)
  }

  @Test("a track without risk matches the same track on stable")
  func trackMatching() throws {
    let plain = try #require(Track.parse("1.28"))
    #expect(plain.matches(try #require(Track.parse("1.28/stable"))))
    #expect(!plain.matches(try #require(Track.parse("1.28/edge"))))
    #expect(!plain.matches(try #require(Track.parse("1.29"))))
  }

  @Test(
    "addresses round-trip to their canonical form",
    arguments: [
      ("192.168.1.10", "192.168.1.10"), ("0.0.0.1", "0.0.0.1"),
      ("255.255.255.255", "255.255.255.255"),
      ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("::1", "::1"), ("fd00::", "fd00::"),
      ("::ffff:192.168.1.12", "::ffff:c0a8:10c"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ]
  )
  func addresses(text: String, canonical: String) {
    #expect(NodeAddress.parse(text)?.description == canonical)
  }

  @Test(
    "not addresses",
    arguments: [
      "192.168.1", "192.168.1.1.1", "192.168.01.1", "256.1.1.1", "1.2.3.-4", "a.b.c.d", " 1.2.3.4",
      "1::2::3", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "12345::1", "::g", "", "1.2.3.4/24",
    ]
  )
  func notAddresses(text: String) {
    #expect(NodeAddress.parse(text) == nil)
  }

  @Test("loopback detection")
  func loopback() {
    #expect(NodeAddress.parse("127.0.0.11")?.isLoopback == true)
    #expect(NodeAddress.parse("::1")?.isLoopback == true)
    #expect(NodeAddress.parse("128.0.0.1")?.isLoopback == false)
  }

  @Test(
    "durations",
    arguments: [("90s", 90), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("168h", 604_800)]
  )
  func durations(text: String, seconds: Int64) throws {
    let duration = try TopologyDuration.parse(text).get()
    #expect(duration == .seconds(seconds))
    #expect(try TopologyDuration.parse(TopologyDuration.format(duration)).get() == duration)
  }

  @Test(
    "not durations",
    arguments: ["", "5", "m", "5 m", "5d", "-5m", "1.5h", "0s", "169h", "99999999999h"]
  )
  func notDurations(text: String) {
    #expect((try? TopologyDuration.parse(text).get()) == nil)
  }

  @Test("node names are lowercase RFC 1123 labels")
  func labels() {
    #expect(NameRules.isLabel("node-1"))
    #expect(NameRules.isLabel(String(repeating: "a", count: 63)))
    for bad in ["", "-a", "a-", "A", "a_b", "a.b", "a b", String(repeating: "a", count: 64), "ä"] {
      #expect(!NameRules.isLabel(bad), "\(bad)")
    }
  }

  @Test("YAML 1.2 core schema for plain scalars")
  func plainScalars() {
    func kind(_ text: String) -> YAMLNode.ScalarKind {
      Array(text.utf8).withUnsafeBufferPointer { YAMLNode.resolvePlain($0) }
    }
    #expect(kind("1.28") == .float)
    #expect(kind("1e3") == .float)
    #expect(kind(".inf") == .float)
    #expect(kind("22") == .integer)
    #expect(kind("0x1F") == .integer)
    #expect(kind("0o17") == .integer)
    #expect(kind("true") == .boolean)
    #expect(kind("yes") == .string)
    #expect(kind("off") == .string)
    #expect(kind("~") == .null)
    #expect(kind("") == .null)
    #expect(kind("192.168.1.10") == .string)
    #expect(kind("1.28/stable") == .string)
    #expect(kind("node1") == .string)
  }

  @Test("suggestions")
  func suggestions() {
    #expect(Spelling.suggestion(for: "adress", among: TopologyDecoder.nodeKeys.names) == "address")
    #expect(
      Spelling.suggestion(for: "hostkeychecking", among: TopologyDecoder.connectionKeys.names)
        == "hostKeyChecking"
    )
    #expect(Spelling.suggestion(for: "zzz", among: TopologyDecoder.nodeKeys.names) == nil)
  }
}
