import Testing

@testable import MicroK8sSimulator

/// `microk8s add-node` (contract §2).
@Suite("add-node")
struct AddNodeTests {
  let lab = Lab("192.168.1.10=node1", "192.168.1.11=node2:1.30")

  var fingerprint: String { lab.host(Lab.contact).fingerprint }

  @Test("token-check prints TOKEN/FINGERPRINT with a 12-hex fingerprint")
  func tokenCheck() {
    let outcome = lab.run(Lab.contact, "add-node", "--token", Lab.token, "--format", "token-check")
    #expect(outcome == CommandOutcome(stdout: "\(Lab.token)/\(fingerprint)\n", exitCode: 0))
    #expect(fingerprint.count == 12)
    #expect(fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
  }

  @Test("a generated token is 32 lowercase hex digits")
  func generatedToken() {
    let token = lab.run(Lab.contact, "add-node", "--format", "token").stdout.trimmingSuffix("\n")
    #expect(token.count == 32)
    #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
    #expect(lab.host(Lab.contact).tokens == [JoinToken(token: token, expiresAt: nil)])
  }

  @Test("pretty output names the default address, the --worker form and every address")
  func pretty() {
    let url = "192.168.1.10:25000/\(Lab.token)/\(fingerprint)"
    let outcome = lab.run(Lab.contact, "add-node", "-t", Lab.token)
    #expect(
      outcome.stdout.lines == [
        "From the node you wish to join to this cluster, run the following:",
        "microk8s join \(url)",
        "",
        "Use the '--worker' flag to join a node as a worker not running the control plane, eg:",
        "microk8s join \(url) --worker",
        "",
        "If the node you are adding is not reachable through the default interface you can use one of the following:",
        "microk8s join \(url)",
      ]
    )
  }

  @Test("json and yaml give token/check and the URLs")
  func structured() {
    let url = "192.168.1.10:25000/\(Lab.token)/\(fingerprint)"
    let json = lab.run(Lab.contact, "add-node", "--token", Lab.token, "--format", "json")
    #expect(
      json.stdout == """
        {
          "token": "\(Lab.token)/\(fingerprint)",
          "urls": [
            "\(url)"
          ]
        }

        """
    )
    let yaml = lab.run(Lab.contact, "add-node", "--token", Lab.token, "--format=yaml")
    #expect(yaml.stdout == "token: \(Lab.token)/\(fingerprint)\nurls:\n- \(url)\n\n")
  }

  @Test("short prints the default address twice up to 1.29, once from 1.30")
  func short() {
    #expect(lab.run(Lab.contact, "add-node", "--format", "short").stdout.lines.count == 2)
    #expect(lab.run("192.168.1.11", "add-node", "--format", "short").stdout.lines.count == 1)
  }

  @Test("a short token is refused with the two-space message")
  func shortToken() {
    let outcome = lab.run(Lab.contact, "add-node", "--token", "abc")
    #expect(
      outcome
        == CommandOutcome(
          stdout: "Invalid token size.  It must be 32 characters long.\n",
          exitCode: 1
        )
    )
    #expect(lab.host(Lab.contact).tokens.isEmpty)
  }

  @Test("an argument containing 'help' prints the help and stores nothing")
  func helpQuirk() {
    let outcome = lab.run(Lab.contact, "add-node", "--token", "helphelphelphelphelphelphelphelp")
    #expect(outcome.exitCode == 0)
    #expect(outcome.stdout.hasPrefix("usage: microk8s add-node"))
    #expect(lab.host(Lab.contact).tokens.isEmpty)
  }

  @Test("a TTL of -1 is single use; any other TTL expires at now + TTL")
  func ttl() {
    lab.run(Lab.contact, "add-node", "--token", Lab.token, "-l", "600")
    lab.run(Lab.contact, "add-node", "--token", Lab.token, "--token-ttl", "-1")
    #expect(
      lab.host(Lab.contact).tokens == [
        JoinToken(token: Lab.token, expiresAt: Int(lab.now) + 600),
        JoinToken(token: Lab.token, expiresAt: nil),
      ]
    )
  }

  @Test("argparse errors go to standard error with exit 2")
  func usageErrors() {
    let format = lab.run(Lab.contact, "add-node", "--format", "xml")
    #expect(format.exitCode == 2)
    #expect(
      format.stderr.lines.last
        == "microk8s add-node: error: argument --format: invalid choice: 'xml' (choose from "
        + "'pretty', 'short', 'token', 'token-check', 'json', 'yaml')"
    )
    let ttl = lab.run(Lab.contact, "add-node", "--token-ttl", "soon")
    #expect(
      ttl.stderr.lines.last
        == "microk8s add-node: error: argument --token-ttl/-l: invalid int value: 'soon'"
    )
    let extra = lab.run(Lab.contact, "add-node", "--worker")
    #expect(extra.stderr.lines.last == "microk8s add-node: error: unrecognized arguments: --worker")
  }

  @Test("a worker refuses add-node")
  func worker() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 1)
    let outcome = lab.run(Lab.address(2), "add-node")
    #expect(
      outcome
        == CommandOutcome(
          stdout: "This MicroK8s deployment is acting as a node in a cluster. "
            + "Please use the microk8s add-node on the master.\n",
          exitCode: 1
        )
    )
  }

  @Test("a stopped node says so on standard error, exit 1")
  func stopped() {
    #expect(lab.apply(.stop, to: Lab.contact))
    let outcome = lab.run(Lab.contact, "add-node")
    #expect(
      outcome
        == CommandOutcome(stderr: "microk8s is not running, try microk8s start\n", exitCode: 1)
    )
  }

  @Test("the utility failure stores the token but prints none")
  func utilityFailure() {
    lab.fault(Lab.contact, "add-node", .addNodeUtilityFailure)
    let outcome = lab.run(Lab.contact, "add-node", "--token", Lab.token)
    #expect(outcome == CommandOutcome(stdout: "Failed to call utility function.\n", exitCode: 1))
    #expect(lab.host(Lab.contact).tokens.count == 1)
  }
}
