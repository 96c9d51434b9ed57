extension MicroK8sOutput {
  /// Whether `kubectl wait --for=condition=Ready node/NAME` saw the Node turn Ready.
  ///
  /// False when it did not in time (`timed out waiting for the condition`) or the Node
  /// does not exist yet (`NotFound`: a joiner registers its Node a moment after the
  /// join). Upstream kubectl behaviour; a worker cannot answer (contract section 1).
  public static func nodeReady(_ output: CommandOutput) throws(MicroK8sFailure) -> Bool {
    if output.exitStatus == 0, output.mentions("condition met") { return true }
    if output.exitStatus == 0, output.stdout[...].trimmed.hasPrefix(workerStatusLine) {
      throw .workerNode(command: "kubectl")
    }
    if output.exitStatus != 0,
      output.mentions("timed out waiting for the condition") || output.mentions("(NotFound)")
    {
      return false
    }
    if let failure = commonFailure(output, command: "kubectl") ?? apiServerFailure(output) {
      throw failure
    }
    throw fallback(output)
  }
}
