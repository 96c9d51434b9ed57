extension MicroK8sOutput {
  /// The one line `status` prints when the node is not ready (contract section 6).
  static let notRunningMessage =
    "microk8s is not running. Use microk8s inspect for a deeper inspection."
  /// What `status` prints, in any format, on a worker (contract section 1).
  static let workerStatusLine = "This MicroK8s deployment is acting as a node in a cluster."
  static let stoppedMessage = "microk8s is not running, try microk8s start"

  /// Reads `microk8s status --format yaml`.
  ///
  /// Ready nodes exit 0 with `running: True`; not ready ones exit 1 (0 up to 1.27) with
  /// `running: False` (or only the one-line message). The worker and stopped short-circuits are plain
  /// text with exit 0 (contract section 1).
  public static func status(_ output: CommandOutput) throws(MicroK8sFailure) -> StatusReport {
    let lines = output.stdout.split(whereSeparator: \.isNewline).map(\.trimmed)
      .filter { !$0.isEmpty }
    if output.exitStatus == 0, lines.first == Substring(workerStatusLine) { return .worker }
    // `exit_if_stopped` in status.py exits 0 (contract section 1).
    if output.exitStatus == 0, lines == [Substring(stoppedMessage)] { return .stopped }
    if let failure = commonFailure(output, command: "status") { throw failure }
    // Exit 1 from 1.28 on; up to 1.27 status.py exited 0 even when not ready (upstream
    // `scripts/wrappers/status.py`, branches 1.27 and 1.28).
    if output.exitStatus == 1 || output.exitStatus == 0, lines == [Substring(notRunningMessage)] {
      return .notRunning(nil)
    }
    guard output.exitStatus == 0 || output.exitStatus == 1,
      lines.first == "microk8s:"
    else { throw fallback(output) }
    let (running, datastore) = try StatusYAML.read(output.stdout)
    switch (running, output.exitStatus) {
    case (true, 0): return .running(datastore)
    case (false, _): return .notRunning(datastore)
    default:
      throw .malformed(
        what: "'microk8s status' output",
        problem: "it says 'running: True' but exited with status \(output.exitStatus)"
      )
    }
  }
}
