import MembershipCore
import Testing

/// Long numbers in what MicroK8s and kubectl print: a typed failure or an unknown value
/// that is reported, never a trap.
extension NumberBoundsTests {
  @Test(
    "version output with a long version number is malformed, saying why",
    arguments: longNumbers
  )
  func versionOutput(_ number: LongNumber) throws {
    let digits = number.digits
    for version in ["v\(digits).28.3", "v1.\(digits).0"] {
      let output = CommandOutput(exitStatus: 0, stdout: "MicroK8s \(version) revision 6089\n")
      let failure = try #require(parseFailure { try MicroK8sOutput.version(output) })
      guard case .malformed(_, let problem) = failure else {
        Issue.record("\(failure)")
        continue
      }
      #expect(problem.contains("out of range"), "\(problem)")
    }
  }

  @Test(
    "a join refusal naming a long version is reported as the agent's refusal",
    arguments: longNumbers
  )
  func joinRefusalVersion(_ number: LongNumber) throws {
    let digits = number.digits
    let output = CommandOutput(
      exitStatus: 6,
      stdout: JoinSamples.refusal(
        "Joining a cluster with external etcd requires a newer client: update MicroK8s to "
          + "version \(digits).28 or newer (500)"
      )
    )
    let failure = try #require(parseFailure { try MicroK8sOutput.join(output) })
    guard case .joinRefused(let status, let message) = failure else {
      Issue.record("\(failure)")
      return
    }
    #expect(status == 500)
    #expect(message.contains("update MicroK8s to version"), "\(message)")
  }

  @Test("a refusal whose status is a long number keeps it in the text", arguments: longNumbers)
  func joinRefusalStatus(_ number: LongNumber) throws {
    let digits = number.digits
    let output = CommandOutput(
      exitStatus: 6,
      stdout: JoinSamples.refusal("Failed to update cni configuration (\(digits))")
    )
    let failure = try #require(parseFailure { try MicroK8sOutput.join(output) })
    guard case .joinRefused(let status, let message) = failure else {
      Issue.record("\(failure)")
      return
    }
    #expect(status == 0)
    #expect(message.hasPrefix("Failed to update cni configuration ("), "\(message.prefix(80))")
  }

  @Test("status output with a long datastore port is malformed", arguments: longNumbers)
  func statusPort(_ number: LongNumber) throws {
    let digits = number.digits
    let stdout = StatusSamples.highAvailability.replacing(
      "10.0.0.4:19001",
      with: "10.0.0.4:\(digits)"
    )
    let output = CommandOutput(exitStatus: 0, stdout: stdout)
    let failure = try #require(parseFailure { try MicroK8sOutput.status(output) })
    guard case .malformed(_, let problem) = failure else {
      Issue.record("\(failure)")
      return
    }
    #expect(problem.contains("expected IP:PORT"), "\(problem.prefix(200))")
  }

  @Test(
    "a node's long kubelet version is read, as a version of unknown track",
    arguments: longNumbers
  )
  func kubeletVersion(_ number: LongNumber) throws {
    let digits = number.digits
    let stdout = NodesSamples.three.replacing(
      #""kubeletVersion": "v1.28.3""#,
      with: #""kubeletVersion": "v\#(digits).28.3""#
    )
    #expect(stdout != NodesSamples.three)
    let listing = try MicroK8sOutput.nodes(CommandOutput(exitStatus: 0, stdout: stdout))
    guard case .nodes(let nodes, _) = listing else {
      Issue.record("\(listing)")
      return
    }
    let node = try #require(nodes.first { $0.kubeletVersion.hasPrefix("v\(digits)") })
    #expect(node.kubeletTrack == nil)
  }
}
