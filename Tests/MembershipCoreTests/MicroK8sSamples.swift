import MembershipCore
import Testing

/// Outputs of the MicroK8s CLI, reconstructed exactly from microk8s-contract.md: the
/// captured samples every parser test and the mutation fuzz start from.
struct MicroK8sSample: Sendable, CustomTestStringConvertible {
  var name: String
  var output: CommandOutput

  init(_ name: String, exit: Int32, stdout: String = "", stderr: String = "") {
    self.name = name
    output = CommandOutput(exitStatus: exit, stdout: stdout, stderr: stderr)
  }

  var testDescription: String { name }
}

/// The join token every sample uses, as mktopo would mint it (contract section 2.3).
let sampleToken = "92b2db237428470dc4fcfc4ebbd9dc81"
let sampleCheck = "2c0cb3284b05"
let sampleURL = "10.0.0.1:25000/\(sampleToken)/\(sampleCheck)"

func ip(_ text: String) -> NodeAddress {
  NodeAddress.parse(text) ?? .ipv4(0)
}

/// The error a parser throws, or nil when it returns. (Closures do not infer typed
/// throws, so the type is checked here; the parsers' signatures guarantee it.)
func parseFailure<Value>(_ body: () throws -> Value) -> MicroK8sFailure? {
  do {
    _ = try body()
    return nil
  } catch let error as MicroK8sFailure {
    return error
  } catch {
    Issue.record("a parser threw \(error), not a MicroK8sFailure")
    return nil
  }
}

enum StatusSamples {
  /// Contract section 6, `--format yaml`: 1 voter, 1 standby, 1 spare.
  static let highAvailability = """
    microk8s:
      running: True
    high-availability:
      enabled: True
      nodes:
        - address: 10.0.0.1:19001
          role: voter
        - address: 10.0.0.4:19001
          role: standby
        - address: 10.0.0.5:19001
          role: spare
    addons:
      - name: dns
        repository: core
        description: CoreDNS
        version: 1.0
        status: enabled

    """

  /// Three voters, and addon descriptions status.py prints unquoted, one with `: `
  /// in it and one starting with a YAML indicator.
  static let threeVoters = """
    microk8s:
      running: True
    high-availability:
      enabled: True
      nodes:
        - address: 10.0.0.1:19001
          role: voter
        - address: 10.0.0.2:19001
          role: voter
        - address: 10.0.0.3:19001
          role: voter
    addons:
      - name: dashboard
        repository: core
        description: The Kubernetes dashboard: a web UI
        version: 2.7.0
        status: disabled
      - name: registry
        repository: core
        description: *Private* image registry exposed on localhost:32000
        version: 2.8.1
        status: disabled

    """

  /// A fresh standalone node (contract section 6: `127.0.0.1:19001`).
  static let standalone = """
    microk8s:
      running: True
    high-availability:
      enabled: True
      nodes:
        - address: 127.0.0.1:19001
          role: voter
    addons:
      - name: dns
        repository: core
        description: CoreDNS
        version: 1.0
        status: disabled

    """

  /// dqlite off (`enabled: False`): no `nodes` key.
  static let haDisabled = """
    microk8s:
      running: True
    high-availability:
      enabled: False
    addons:
      - name: ha-cluster
        repository: core
        description: Configure high availability on the current node
        version: 1.0
        status: disabled

    """

  /// status gave up asking dqlite: `nodes:` with nothing under it (contract section 6).
  static let emptyNodes = """
    microk8s:
      running: True
    high-availability:
      enabled: True
      nodes:
    addons:

    """

  /// Not ready: `message:` at two spaces lands under `high-availability`, exit 1.
  static let notRunning = """
    microk8s:
      running: False
    high-availability:
      enabled: True
      nodes:
        - address: 10.0.0.1:19001
          role: voter
      message: microk8s is not running. Use microk8s inspect for a deeper inspection.

    """

  /// Not ready, dqlite off, `message:` at three spaces (older status.py's format string).
  static let notRunningOldIndent = """
    microk8s:
      running: False
    high-availability:
      enabled: False
       message: microk8s is not running. Use microk8s inspect for a deeper inspection.

    """

  /// An IPv6 member, which YAML would read as a flow sequence (contract section 6).
  static let ipv6 = """
    microk8s:
      running: True
    high-availability:
      enabled: True
      nodes:
        - address: [fd00::1]:19001
          role: voter
        - address: 10.0.0.2:19001
          role: spare

    """

  static let worker =
    "This MicroK8s deployment is acting as a node in a cluster.\n"
    + "Please use the control plane node.\n"
  static let stopped = "microk8s is not running, try microk8s start\n"
  static let notRunningLine =
    "microk8s is not running. Use microk8s inspect for a deeper inspection.\n"

  static let all: [MicroK8sSample] = [
    MicroK8sSample("status HA", exit: 0, stdout: highAvailability),
    MicroK8sSample("status three voters", exit: 0, stdout: threeVoters),
    MicroK8sSample("status standalone", exit: 0, stdout: standalone),
    MicroK8sSample("status HA disabled", exit: 0, stdout: haDisabled),
    MicroK8sSample("status empty nodes", exit: 0, stdout: emptyNodes),
    MicroK8sSample("status not running", exit: 1, stdout: notRunning),
    MicroK8sSample("status not running (old indent)", exit: 1, stdout: notRunningOldIndent),
    MicroK8sSample("status IPv6", exit: 0, stdout: ipv6),
    MicroK8sSample("status worker", exit: 0, stdout: worker),
    MicroK8sSample("status stopped", exit: 0, stdout: stopped),
    MicroK8sSample("status not running line", exit: 1, stdout: notRunningLine),
  ]
}
