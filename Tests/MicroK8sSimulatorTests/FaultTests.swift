import Foundation
import Testing

@testable import MicroK8sSimulator

/// The fault catalogue: every fault fires where it should, once, with its contract output.
@Suite("faults")
struct FaultTests {
  /// One command that runs into a fault, on a world of four fresh hosts (node1..node4).
  struct Scenario: Sendable {
    var host = Lab.address(2)
    var verb: String
    var arguments: [String]
    var exitCode: Int32
    /// Text expected in standard output or standard error.
    var text: String
    var setup: @Sendable (Lab) -> Void = { _ in }
  }

  /// With the contact's fingerprint, so that the certificate is checked.
  static let joinURL =
    "192.168.1.10:25000/\(Lab.token)/"
    + SimulatedHost(address: Lab.contact, hostname: "node1", track: "1.28", cluster: 0).fingerprint

  static func join(_ exitCode: Int32, _ text: String, worker: Bool = false) -> Scenario {
    Scenario(
      verb: "join",
      arguments: ["join", joinURL] + (worker ? ["--worker"] : []),
      exitCode: exitCode,
      text: text,
      setup: { $0.mint() }
    )
  }

  static func joined(
    verb: String,
    on host: String = Lab.address(2),
    _ arguments: [String],
    _ exitCode: Int32,
    _ text: String,
    worker: Bool = false
  ) -> Scenario {
    Scenario(
      host: host,
      verb: verb,
      arguments: arguments,
      exitCode: exitCode,
      text: text,
      setup: { $0.join(Lab.address(2), worker: worker) }
    )
  }

  static let scenarios: [FaultKind: Scenario] = [
    .sshUnreachable: Scenario(
      verb: "any",
      arguments: ["version"],
      exitCode: 255,
      text: "ssh: connect to host 192.168.1.11 port 22"
    ),
    .hang: Scenario(verb: "version", arguments: ["version"], exitCode: 0, text: ""),
    .notInstalled: Scenario(
      verb: "version",
      arguments: ["version"],
      exitCode: 127,
      text: "microk8s: command not found"
    ),
    .permissionDenied: Scenario(
      verb: "status",
      arguments: ["status"],
      exitCode: 1,
      text: "Insufficient permissions to access MicroK8s."
    ),
    .stopped: Scenario(
      verb: "kubectl",
      arguments: ["kubectl", "get", "nodes"],
      exitCode: 1,
      text: "microk8s is not running, try microk8s start"
    ),
    .needsSudo: joined(
      verb: "leave",
      ["leave"],
      1,
      "Elevated permissions are needed for this command."
    ),
    .addNodeFreshInstallRequired: Scenario(
      verb: "add-node",
      arguments: ["add-node"],
      exitCode: 1,
      text: "Clustering requires a fresh MicroK8s installation. Reinstall with:"
    ),
    .addNodeUtilityFailure: Scenario(
      verb: "add-node",
      arguments: ["add-node"],
      exitCode: 1,
      text: "Failed to call utility function."
    ),
    .joinHostpathWarning: join(
      0,
      "WARNING: Hostpath storage is enabled and is not suitable for multi node clusters.\n\n"
    ),
    .joinAgentUnreachable: join(1, "ConnectionRefusedError: [Errno 111] Connection refused"),
    .joinAgentTimeout: join(1, "TimeoutError: [Errno 110] Connection timed out"),
    .joinFingerprintMismatch: join(4, "Could not verify the identity of 192.168.1.10."),
    .joinSSLError: join(4, "Peer node verification failed with [SSL: WRONG_VERSION_NUMBER]"),
    .joinHTTPException: join(5, "Connecting to cluster failed with"),
    .joinInvalidToken: join(6, "Connection failed. Invalid token (500)."),
    .joinNotHA: join(6, "This is not an HA MicroK8s cluster (501)."),
    .joinAgentPortMismatch: join(6, "has to be set to 25000 (502)."),
    .joinSameIP: join(6, "as the node we contact (503)."),
    .joinHostnameUnresolvable: join(6, "Refusing join (400)."),
    .joinAlreadyKnown: join(6, "is already known to dqlite (504)."),
    .joinDqliteBindAddress: join(6, "was not found in any host interface."),
    .joinAgentNoClusterFile: join(6, "cluster.yaml: no such file or directory (500)."),
    .joinCustomEtcd: join(6, "This MicroK8s cluster uses a custom etcd endpoint."),
    .joinSignCertFailure: join(1, "Failed to sign proxy certificate (500).", worker: true),
    .joinSilentTimeout: join(0, ".. .. .. .. .. .. .. .. .. ..  \n"),
    .leaveOnlyVoter: joined(
      verb: "leave",
      ["leave"],
      3,
      "holds the only copy of the Kubernetes database"
    ),
    .leaveNotClustered: joined(
      verb: "leave",
      ["leave"],
      1,
      "This MicroK8s deployment is not acting as a node in a cluster."
    ),
    .leaveDqliteRemoveFailed: joined(
      verb: "leave",
      ["leave"],
      2,
      "Contacting node 192.168.1.10:19001 failed. Error:"
    ),
    .leaveNotInClusteringMode: joined(
      verb: "leave",
      ["leave"],
      2,
      "Not in clustering mode.",
      worker: true
    ),
    .removeNodeAPIUnavailable: joined(
      verb: "remove-node",
      on: Lab.contact,
      ["remove-node", "node2"],
      1,
      "Node node2 does not exist in Kubernetes."
    ),
    .removeNodeNoInternalIP: joined(
      verb: "remove-node",
      on: Lab.contact,
      ["remove-node", "node2"],
      1,
      "Node node2 is not part of the cluster."
    ),
    .removeNodeDqliteRemoveFailed: joined(
      verb: "remove-node",
      on: Lab.contact,
      ["remove-node", "node2", "--force"],
      2,
      "Contacting node 192.168.1.10:19001 failed. Error:"
    ),
    .statusNotReady: Scenario(
      verb: "status",
      arguments: ["status"],
      exitCode: 1,
      text: "microk8s is not running. Use microk8s inspect for a deeper inspection."
    ),
    .statusEmptyDatastore: Scenario(
      verb: "status",
      arguments: ["status"],
      exitCode: 0,
      text: "datastore master nodes: none"
    ),
    .sudoPassword: Scenario(
      verb: "snap",
      arguments: ["snap", "install", "microk8s", "--classic"],
      exitCode: 1,
      text: "sudo: a password is required"
    ),
    .kubectlAPIUnavailable: Scenario(
      verb: "kubectl",
      arguments: ["kubectl", "get", "nodes", "-o", "json"],
      exitCode: 1,
      text: "The connection to the server 127.0.0.1:16443 was refused"
    ),
  ]

  @Test("every fault fires once with its output and exit code", arguments: FaultKind.allCases)
  func fires(kind: FaultKind) throws {
    let scenario = try #require(Self.scenarios[kind], "no scenario for \(kind.rawValue)")
    let lab = Lab(nodes: 4)
    scenario.setup(lab)
    lab.fault(scenario.host, scenario.verb, kind)
    let outcome = lab.run(scenario.host, arguments: scenario.arguments)
    #expect(outcome.exitCode == scenario.exitCode, "\(outcome)")
    #expect(
      scenario.text.isEmpty || (outcome.stdout + outcome.stderr).contains(scenario.text),
      "expected \(scenario.text.debugDescription) in \(outcome)"
    )
    #expect(lab.world.faults.isEmpty, "the fault did not fire")
    if kind == .hang { #expect(outcome.pause >= 3600) }
  }

  @Test("names are unique kebab-case, with a summary, a section and verbs")
  func catalogue() {
    let names = FaultKind.allCases.map(\.rawValue)
    #expect(Set(names).count == names.count)
    for kind in FaultKind.allCases {
      #expect(kind.rawValue.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(kind)")
      #expect(!kind.summary.isEmpty && !kind.behaviourSection.isEmpty && !kind.verbs.isEmpty)
    }
  }

  @Test("every fault points at a heading of docs/microk8s-behaviour.md, not at design notes")
  func behaviourSections() throws {
    let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/microk8s-behaviour.md")
    let headings = try String(contentsOf: page, encoding: .utf8).split(separator: "\n")
      .filter { $0.hasPrefix("#") }.map { String($0.drop { $0 == "#" }.dropFirst()) }
    for kind in FaultKind.allCases {
      #expect(headings.contains(kind.behaviourSection), "\(kind): \(kind.behaviourSection)")
    }
    let table = SimulatorHelp.faultTable()
    #expect(table.hasPrefix("FAULT"))
    #expect(table.contains("SEE docs/microk8s-behaviour.md"))
    for word in ["§", "contract", "DESIGN"] {
      #expect(!table.contains(word), "the fault table cites \(word)")
    }
  }

  @Test("a fault fires only for its host and verb, and --times counts down")
  func matching() {
    let lab = Lab(nodes: 2)
    lab.fault(Lab.contact, "status", .statusNotReady, times: 2)
    #expect(lab.run(Lab.address(2), "status").exitCode == 0)
    #expect(lab.run(Lab.contact, "version").exitCode == 0)
    #expect(lab.run(Lab.contact, "status").exitCode == 1)
    #expect(lab.world.faults.first?.remaining == 1)
    #expect(lab.run(Lab.contact, "status").exitCode == 1)
    #expect(lab.run(Lab.contact, "status").exitCode == 0)
  }

  @Test("a fault whose stage is never reached stays armed")
  func unreachedStage() {
    let lab = Lab(nodes: 2)
    lab.fault(Lab.address(2), "join", .joinNotHA)
    #expect(lab.run(Lab.address(2), "join", "bad").exitCode == 1)
    #expect(lab.world.faults.count == 1)
  }
}
