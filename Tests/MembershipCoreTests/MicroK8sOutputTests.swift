import MembershipCore
import Testing

@Suite("MicroK8s add-node, join, leave and remove-node output")
struct MicroK8sOutputTests {
  // MARK: - add-node

  @Test func tokenCheckGivesTheFingerprint() throws {
    #expect(
      try MicroK8sOutput.fingerprint(CommandSamples.tokenCheck.output, expectedToken: sampleToken)
        == sampleCheck
    )
  }

  @Test func aDifferentEchoedTokenIsRefusedWithoutNamingEitherToken() {
    let other = "0123456789abcdef0123456789abcdef"
    let thrown = parseFailure {
      try MicroK8sOutput.fingerprint(CommandSamples.tokenCheck.output, expectedToken: other)
    }
    #expect(thrown == .tokenMismatch)
    #expect(thrown.map { !"\($0)".contains(sampleToken) && !"\($0)".contains(other) } == true)
  }

  @Test(arguments: [
    "\(sampleToken)\n", "\(sampleToken)/\n", "\(sampleToken)/2C0CB3284B05\n",
    "\(sampleToken)/2c0cb3284b0\n", "\(sampleToken)/2c0cb3284b05/x\n", "",
    "Usage: microk8s add-node [-h]\n",
  ])
  func brokenTokenCheckOutput(text: String) {
    let thrown = parseFailure {
      try MicroK8sOutput.fingerprint(
        CommandOutput(exitStatus: 0, stdout: text),
        expectedToken: sampleToken
      )
    }
    guard case .malformed = thrown else {
      Issue.record("got \(String(describing: thrown))")
      return
    }
    #expect(thrown.map { !"\($0)".contains(sampleToken) } == true)
  }

  @Test(arguments: CommandSamples.crossCutting + CommandSamples.addNodeFailures)
  func addNodeFailures(_ example: FailureCase) {
    #expect(
      parseFailure {
        try MicroK8sOutput.fingerprint(example.sample.output, expectedToken: sampleToken)
      }
        == example.expected
    )
  }

  // MARK: - join

  @Test func controlPlaneJoin() throws {
    let report = try MicroK8sOutput.join(
      CommandOutput(exitStatus: 0, stdout: JoinSamples.controlPlane)
    )
    #expect(
      report
        == JoinReport(
          contacted: ip("10.0.0.1"),
          printedSuccess: true,
          joinedAsWorker: false,
          warnings: []
        )
    )
  }

  @Test func joinBefore129PrintsNoSuccessLine() throws {
    let report = try MicroK8sOutput.join(
      CommandOutput(exitStatus: 0, stdout: JoinSamples.controlPlaneOld)
    )
    #expect(!report.printedSuccess)
    #expect(report.contacted == ip("10.0.0.1"))
  }

  @Test func workerJoinWithWarnings() throws {
    let report = try MicroK8sOutput.join(CommandOutput(exitStatus: 0, stdout: JoinSamples.worker))
    #expect(report.joinedAsWorker)
    #expect(report.printedSuccess)
    #expect(
      report.warnings
        == [
          .hostpathStorage,
          .differentClusterCIDR(
            detail: "Cluster CIDR: 10.1.0.0/16 -- Node CIDR: 10.2.0.0/16 (will be overwritten)"
          ),
        ]
    )
  }

  @Test func exitZeroIsAlwaysAReport() throws {
    // Joining again after a join that happened fails for good: observation decides.
    #expect(try MicroK8sOutput.join(CommandOutput(exitStatus: 0)).contacted == nil)
  }

  @Test(arguments: JoinSamples.failures + CommandSamples.crossCutting)
  func joinFailures(_ example: FailureCase) {
    #expect(parseFailure { try MicroK8sOutput.join(example.sample.output) } == example.expected)
  }

  @Test func unknownExitCodesAreUnrecognised() {
    for exit: Int32 in [3, 4, 5, 6, 7, 255] {
      let thrown = parseFailure {
        try MicroK8sOutput.join(CommandOutput(exitStatus: exit, stdout: "something new\n"))
      }
      #expect(thrown == .unrecognised(exit: exit, stdout: "something new", stderr: ""))
    }
  }

  // MARK: - leave and remove-node

  @Test(arguments: CommandSamples.leaveSuccesses)
  func leaveSucceeds(_ sample: MicroK8sSample) {
    #expect(parseFailure { try MicroK8sOutput.leave(sample.output) } == nil)
  }

  @Test(arguments: CommandSamples.leaveFailures + CommandSamples.crossCutting)
  func leaveFailures(_ example: FailureCase) {
    #expect(parseFailure { try MicroK8sOutput.leave(example.sample.output) } == example.expected)
  }

  @Test func removeNodeOutcomes() throws {
    for (sample, outcome) in CommandSamples.removeOutcomes {
      #expect(try MicroK8sOutput.removeNode(sample.output) == outcome, "\(sample.name)")
    }
  }

  @Test(arguments: CommandSamples.removeFailures + CommandSamples.crossCutting)
  func removeNodeFailures(_ example: FailureCase) {
    #expect(
      parseFailure { try MicroK8sOutput.removeNode(example.sample.output) } == example.expected
    )
  }

  @Test func pythonCrashesAreReportedByTheirException() {
    let output = CommandOutput(
      exitStatus: 1,
      stderr: JoinSamples.traceback("KeyError: 'voters'")
    )
    #expect(
      parseFailure { try MicroK8sOutput.leave(output) } == .crashed(detail: "KeyError: 'voters'")
    )
    #expect(
      parseFailure { try MicroK8sOutput.join(output) } == .crashed(detail: "KeyError: 'voters'")
    )
  }
}
