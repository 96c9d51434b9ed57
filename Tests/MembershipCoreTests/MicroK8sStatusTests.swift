import Testing

@testable import MembershipCore

@Suite("MicroK8s status --format yaml")
struct MicroK8sStatusTests {
  private func status(_ exit: Int32, _ stdout: String, stderr: String = "") -> StatusReport? {
    try? MicroK8sOutput.status(CommandOutput(exitStatus: exit, stdout: stdout, stderr: stderr))
  }

  @Test func highAvailabilityListsEveryRoleIncludingSpares() {
    let expected = DatastoreStatus(
      highAvailability: true,
      members: [
        DatastoreMember(address: ip("10.0.0.1"), role: .voter),
        DatastoreMember(address: ip("10.0.0.4"), role: .standby),
        DatastoreMember(address: ip("10.0.0.5"), role: .spare),
      ]
    )
    #expect(status(0, StatusSamples.highAvailability) == .running(expected))
    #expect(expected.voters.count == 1)
    #expect(!expected.isLoopbackOnly)
  }

  @Test func addonsThatAreNotYAMLDoNotMatter() {
    // Descriptions with ': ' or a leading '*' would break a YAML parser (contract §6).
    let report = status(0, StatusSamples.threeVoters)
    #expect(
      report?.datastore?.voters.map(\.address) == [ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")]
    )
  }

  @Test func freshStandaloneNodeIsLoopbackOnly() throws {
    let report = try #require(status(0, StatusSamples.standalone))
    let datastore = try #require(report.datastore)
    #expect(datastore.members == [DatastoreMember(address: ip("127.0.0.1"), role: .voter)])
    #expect(datastore.isLoopbackOnly)
    #expect(
      datastore.members(replacingLoopbackWith: ip("192.168.1.10"))
        == [DatastoreMember(address: ip("192.168.1.10"), role: .voter)]
    )
  }

  @Test func highAvailabilityOffHasNoMembers() {
    let expected = DatastoreStatus(highAvailability: false, members: [])
    #expect(status(0, StatusSamples.haDisabled) == .running(expected))
    #expect(!expected.isLoopbackOnly, "no members never proves a standalone node")
  }

  @Test func emptyNodeListIsNotStandalone() {
    let report = status(0, StatusSamples.emptyNodes)
    #expect(report == .running(DatastoreStatus(highAvailability: true, members: [])))
    #expect(report?.datastore?.isLoopbackOnly == false)
  }

  @Test func notRunningKeepsTheDatastoreDespiteTheMessageQuirk() {
    #expect(
      status(1, StatusSamples.notRunning)
        == .notRunning(
          DatastoreStatus(
            highAvailability: true,
            members: [DatastoreMember(address: ip("10.0.0.1"), role: .voter)]
          )
        )
    )
    #expect(
      status(1, StatusSamples.notRunningOldIndent)
        == .notRunning(DatastoreStatus(highAvailability: false, members: []))
    )
    #expect(status(1, StatusSamples.notRunningLine) == .notRunning(nil))
    // Up to 1.27 status.py exits 0 when not ready (1.28 added the exit 1).
    #expect(status(0, StatusSamples.notRunningLine) == .notRunning(nil))
  }

  @Test func ipv6MembersAreReadNotMistakenForAList() {
    #expect(
      status(0, StatusSamples.ipv6)?.datastore?.members
        == [
          DatastoreMember(address: ip("fd00::1"), role: .voter),
          DatastoreMember(address: ip("10.0.0.2"), role: .spare),
        ]
    )
  }

  @Test func carriageReturnsFromAPseudoTerminal() {
    let text = StatusSamples.threeVoters.replacing("\n", with: "\r\n")
    #expect(status(0, text)?.datastore?.voters.count == 3)
  }

  @Test func shortCircuitsAreTextNotYAML() {
    #expect(status(0, StatusSamples.worker) == .worker)
    #expect(status(0, StatusSamples.stopped) == .stopped)
    #expect(StatusReport.worker.datastore == nil)
  }

  @Test(arguments: [
    (StatusSamples.highAvailability.replacingFirst("role: voter", with: "role: leader"), "leader"),
    (StatusSamples.highAvailability.replacingFirst("10.0.0.4:19001", with: "node4:19001"), "node4"),
    (StatusSamples.highAvailability.replacingFirst("10.0.0.4:19001", with: "10.0.0.4"), "IP:PORT"),
    (
      StatusSamples.highAvailability.replacingFirst("running: True", with: "running: yes"),
      "running"
    ),
    (StatusSamples.highAvailability.replacingFirst("enabled: True", with: "enabled: 1"), "enabled"),
    (
      StatusSamples.highAvailability.replacingFirst("high-availability:", with: "ha:"),
      "high-availability"
    ),
    ("microk8s:\n  running: [True\n", "YAML"),
    ("microk8s:\n  - True\n", "microk8s"),
  ])
  func brokenYAMLIsMalformed(text: String, mentioning word: String) {
    let thrown = parseFailure {
      try MicroK8sOutput.status(CommandOutput(exitStatus: 0, stdout: text))
    }
    guard case .malformed(_, let problem) = thrown else {
      Issue.record("expected malformed, got \(String(describing: thrown))")
      return
    }
    #expect(problem.contains(word), "\(problem)")
  }

  @Test func runningWithAFailureExitIsMalformed() {
    let thrown = parseFailure {
      try MicroK8sOutput.status(
        CommandOutput(exitStatus: 1, stdout: StatusSamples.highAvailability)
      )
    }
    guard case .malformed = thrown else {
      Issue.record("got \(String(describing: thrown))")
      return
    }
  }

  @Test func garbageIsUnrecognised() {
    for (exit, text) in [(0, ""), (0, "hello\n"), (2, "microk8s:\n"), (0, "\u{0}\u{1}\u{FFFD}")] {
      let thrown = parseFailure {
        try MicroK8sOutput.status(CommandOutput(exitStatus: Int32(exit), stdout: text))
      }
      guard case .unrecognised(let code, _, _) = thrown else {
        Issue.record("\(text.debugDescription): got \(String(describing: thrown))")
        continue
      }
      #expect(code == Int32(exit))
    }
  }

  @Test func lowMemoryAndPermissionsAreFailures() {
    let lowMemory = CommandOutput(exitStatus: 1, stdout: JoinSamples.lowMemory)
    #expect(parseFailure { try MicroK8sOutput.status(lowMemory) } == .lowMemory)
    let denied = CommandOutput(
      exitStatus: 1,
      stderr: "Insufficient permissions to access MicroK8s.\n"
    )
    #expect(parseFailure { try MicroK8sOutput.status(denied) } == .insufficientPermissions)
  }

  @Test func prepareQuotesOnlyBracketedAddresses() {
    let text =
      "  nodes:\n    - address: [fd00::1]:19001\n    - address: 10.0.0.1:19001\naddons:\n  - x"
    #expect(
      StatusYAML.prepared(text)
        == "  nodes:\n    - address: \"[fd00::1]:19001\"\n    - address: 10.0.0.1:19001"
    )
  }
}

extension String {
  /// The text with the first occurrence of `target` replaced; the same text when absent.
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = firstRange(of: target) else { return self }
    return self[..<range.lowerBound] + replacement + self[range.upperBound...]
  }
}
