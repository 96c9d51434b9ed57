extension MicroK8sOutput {
  /// Reads `microk8s leave` (contract section 4): exit 0 is done; the refusals throw.
  public static func leave(_ output: CommandOutput) throws(MicroK8sFailure) {
    if output.exitStatus == 0 { return }
    if let failure = commonFailure(output, command: "leave") { throw failure }
    // The `.cluster` query needs a leader; leave.py does not catch its failure.
    if output.mentions("no available dqlite leader server found") { throw .datastoreWithoutLeader }
    // Exit 3: the sole voter of a datastore with other members may not leave.
    if output.mentions("holds the only copy of the Kubernetes database") { throw .onlyVoter }
    // 1.28+: exit 1 on a node that never clustered; workers: "Not in clustering mode."
    if output.mentions("is not acting as a node in a cluster")
      || output.mentions("Not in clustering mode")
    {
      throw .notClustered
    }
    if let endpoint = failedEndpoint(output) { throw .datastoreRemovalFailed(endpoint: endpoint) }
    throw fallback(output)
  }

  /// Reads `microk8s remove-node NODE [--force]` (contract section 5).
  ///
  /// "does not exist in Kubernetes" is an outcome, not a failure: the node is already
  /// gone, and with --force a ghost entry may have been removed all the same. kubectl's
  /// own connection errors, which remove-node repeats, are `apiServerUnavailable`.
  public static func removeNode(
    _ output: CommandOutput
  ) throws(MicroK8sFailure) -> RemoveNodeOutcome {
    if output.exitStatus == 0 { return .removed }
    if let failure = commonFailure(output, command: "remove-node") { throw failure }
    // Exit 2 quotes dqlite's error, which can read like kubectl's ("context deadline").
    if output.exitStatus == 2, let endpoint = failedEndpoint(output) {
      throw .datastoreRemovalFailed(endpoint: endpoint)
    }
    if let failure = apiServerFailure(output) { throw failure }
    // Without a dqlite leader kubectl fails and remove_node.py takes that for NotFound:
    // not "already gone" but a frozen datastore.
    if output.mentions("no available dqlite leader server found") { throw .datastoreWithoutLeader }
    if output.mentions("does not exist in Kubernetes") {
      return .notInKubernetes(
        removedDatastoreEntry: output.mentions("Removing node entry found in dqlite")
      )
    }
    if let line = output.line(containing: "is registered with dqlite") {
      throw .registeredWithDatastore(name: nodeName(in: line) ?? "the node")
    }
    if let line = output.line(containing: "is not part of the cluster") {
      throw .notPartOfCluster(name: nodeName(in: line) ?? "the node")
    }
    // The wrapper's own usage checks: no node, or a second argument other than --force.
    if let line = output.line(containing: "Please provide the node") {
      throw .usageRejected(detail: Redaction.excerpt(String(line), limit: 300))
    }
    throw fallback(output)
  }

  /// The endpoint in `Contacting node <ep> failed. Error: …` (exit 2).
  private static func failedEndpoint(_ output: CommandOutput) -> String? {
    guard let line = output.line(containing: "Contacting node "),
      let range = line.firstRange(of: "Contacting node ")
    else { return nil }
    let endpoint = line[range.upperBound...].prefix { !$0.isWhitespace }
    return Redaction.excerpt(String(endpoint), limit: 100)
  }

  /// The word after `Node ` in a remove-node message.
  private static func nodeName(in line: Substring) -> String? {
    guard let range = line.firstRange(of: "Node ") else { return nil }
    let name = line[range.upperBound...].prefix { !$0.isWhitespace }
    return name.isEmpty ? nil : Redaction.excerpt(String(name), limit: 100)
  }
}
