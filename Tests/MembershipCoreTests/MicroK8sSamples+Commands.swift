import MembershipCore

enum CommandSamples {
  static let version = MicroK8sSample(
    "version",
    exit: 0,
    stdout: "MicroK8s v1.28.3 revision 6089\n"
  )
  static let tokenCheck = MicroK8sSample(
    "add-node token-check",
    exit: 0,
    stdout: "\(sampleToken)/\(sampleCheck)\n"
  )

  /// Contract section 1: what any command can print before doing its own work.
  static let crossCutting: [FailureCase] = [
    // Verbatim `exit_if_low_memory_guard` (microk8s-resources/actions/common/utils.sh), as
    // `status` prints it on a host with 512 MiB or less.
    FailureCase(
      "status under the low-memory guard",
      exit: 1,
      stdout: "\nThis node does not have enough RAM to host the Kubernetes control plane services\n"
        + "and join the database quorum. You may consider joining this node as a worker\n"
        + "node to a cluster.\n\nIf you would still like to start the control plane services, "
        + "start MicroK8s with:\n\n    microk8s start --disable-low-memory-guard\n\n",
      .lowMemory
    ),
    FailureCase(
      "permissions",
      exit: 1,
      stderr: """
        Insufficient permissions to access MicroK8s.
        You can either try again with sudo or add the user ubuntu to the 'microk8s' group:

            sudo usermod -a -G microk8s ubuntu
            sudo chown -R ubuntu ~/.kube

        After this, reload the user groups either via a reboot or by running 'newgrp microk8s'.

        """,
      .insufficientPermissions
    ),
    FailureCase(
      "not installed",
      exit: 127,
      stderr: "bash: line 1: /snap/bin/microk8s: No such file or directory\n",
      .notInstalled
    ),
    FailureCase(
      "not installed (command not found)",
      exit: 127,
      stderr: "bash: microk8s: command not found\n",
      .notInstalled
    ),
    FailureCase(
      "not installed under sudo",
      exit: 1,
      stderr: "sudo: /snap/bin/microk8s: command not found\n",
      .notInstalled
    ),
    FailureCase(
      "sudo password",
      exit: 1,
      stderr: "sudo: a password is required\n",
      .sudoPasswordRequired
    ),
    FailureCase(
      "strict confinement needs root",
      exit: 1,
      stdout: "Elevated permissions are needed for this command. Please use sudo.\n",
      .needsRoot
    ),
    FailureCase(
      "unknown subcommand",
      exit: 1,
      stdout: "'frobnicate' is not a valid MicroK8s subcommand.\nAvailable subcommands are:\n"
        + "\tadd-node\n\taddons\n\tconfig\n\tjoin\n\tleave\n\tremove-node\n\tstatus\n",
      .unknownSubcommand("frobnicate")
    ),
    // Verbatim: MicroK8s 1.24 has no `version` (added in 1.25, canonical/microk8s #3078).
    FailureCase(
      "version on 1.24",
      exit: 1,
      stdout: "'version' is not a valid MicroK8s subcommand.\nAvailable subcommands are:\n",
      .unknownSubcommand("version")
    ),
  ]

  /// Contract section 2.2: add-node's refusals.
  static let addNodeFailures: [FailureCase] = [
    FailureCase(
      "add-node on a worker",
      exit: 1,
      stdout: "This MicroK8s deployment is acting as a node in a cluster. Please use the "
        + "microk8s add-node on the master.\n",
      .workerNode(command: "add-node")
    ),
    FailureCase(
      "add-node stopped",
      exit: 1,
      stderr: "microk8s is not running, try microk8s start\n",
      .stopped
    ),
    FailureCase(
      "add-node needs a fresh install",
      exit: 1,
      stdout: "Clustering requires a fresh MicroK8s installation. Reinstall with:\n"
        + "sudo snap remove microk8s\nsudo snap install microk8s --classic\n",
      .freshInstallRequired
    ),
    FailureCase(
      "add-node token size",
      exit: 1,
      stdout: "Invalid token size.  It must be 32 characters long.\n",
      .tokenRejected
    ),
    FailureCase(
      "add-node utility",
      exit: 1,
      stdout: "Failed to call utility function.\n",
      .utilityFailed
    ),
  ]

  static let onlyVoterMessage = """
    This node currently holds the only copy of the Kubernetes database so it cannot leave \
    the cluster.
    To remove this node you can either first remove all other nodes with 'microk8s remove-node' or
    form a highly available cluster by adding at least three nodes.

    """

  /// Contract section 4.
  static let leaveFailures: [FailureCase] = [
    FailureCase("leave only voter", exit: 3, stdout: onlyVoterMessage, .onlyVoter),
    FailureCase(
      "leave not clustered",
      exit: 1,
      stdout: "This MicroK8s deployment is not acting as a node in a cluster.\n",
      .notClustered
    ),
    FailureCase(
      "leave worker not clustering",
      exit: 2,
      stdout: "Configuring services.\nNot in clustering mode.\n",
      .notClustered
    ),
    FailureCase(
      "leave dqlite removal",
      exit: 2,
      stdout: "Contacting node 10.0.0.3:19001 failed. Error:\n"
        + "b'Error: remove node: context deadline exceeded\\n'\n",
      .datastoreRemovalFailed(endpoint: "10.0.0.3:19001")
    ),
    FailureCase(
      "leave stopped",
      exit: 1,
      stderr: "microk8s is not running, try microk8s start\n",
      .stopped
    ),
  ]

  static let leaveSuccesses: [MicroK8sSample] = [
    MicroK8sSample(
      "leave control plane",
      exit: 0,
      stdout: "Generating new cluster certificates.\nWaiting for node to start. . . \n"
    ),
    MicroK8sSample(
      "leave worker",
      exit: 0,
      stdout: "Configuring services.\nGenerating new cluster certificates.\n"
        + "Waiting for node to start. \n"
    ),
  ]

  static let notFoundStderr = "Error from server (NotFound): nodes \"node3\" not found\n"

  /// Contract section 5: the three exit-1 messages and the rest.
  static let removeFailures: [FailureCase] = [
    FailureCase(
      "remove-node registered with dqlite",
      exit: 1,
      stdout: "Removal failed. Node node3 is registered with dqlite. Please, run first 'microk8s "
        + "leave' on the departing node. \nIf the node is not available anymore and will never "
        + "attempt to join the cluster in the future use the '--force' flag \nto unregister the "
        + "node while removing it.\n",
      .registeredWithDatastore(name: "node3")
    ),
    FailureCase(
      "remove-node not part of the cluster",
      exit: 1,
      stdout: "Node node3 is not part of the cluster.\n",
      .notPartOfCluster(name: "node3")
    ),
    FailureCase(
      "remove-node API down",
      exit: 1,
      stdout: "Node node3 does not exist in Kubernetes.\n",
      stderr: "The connection to the server 127.0.0.1:16443 was refused - did you specify the "
        + "right host or port?\n",
      .apiServerUnavailable(
        detail: "The connection to the server 127.0.0.1:16443 was refused - did you specify the "
          + "right host or port?"
      )
    ),
    // Verbatim from upstream remove_node.py with no dqlite leader: kubectl's failure is
    // taken for NotFound (issue text kept as the fixture).
    FailureCase(
      "remove-node without a dqlite leader",
      exit: 1,
      stdout: "Node X does not exist in Kubernetes.\n",
      stderr: "Error: no available dqlite leader server found\n",
      .datastoreWithoutLeader
    ),
    FailureCase(
      "remove-node --force without a dqlite leader",
      exit: 1,
      stdout: "Node node3 does not exist in Kubernetes.\nAttempting to remove node3 from dqlite.\n",
      stderr: "Error: no available dqlite leader server found\n",
      .datastoreWithoutLeader
    ),
    FailureCase(
      "remove-node dqlite removal",
      exit: 2,
      stdout:
        "Contacting node 10.0.0.3:19001 failed. Error:\n"
        + "b'Error: remove node: context deadline exceeded\\n'\n",
      .datastoreRemovalFailed(endpoint: "10.0.0.3:19001")
    ),
    FailureCase(
      "remove-node on a worker",
      exit: 1,
      stdout: "This MicroK8s deployment is acting as a node in a cluster. Please use microk8s "
        + "leave.\n",
      .workerNode(command: "remove-node")
    ),
    FailureCase(
      "remove-node without a node",
      exit: 1,
      stdout: "Please provide the node you want to remove.\n",
      .usageRejected(detail: "Please provide the node you want to remove.")
    ),
    FailureCase(
      "remove-node --force first",
      exit: 1,
      stdout: "Please provide the node and the optional --force flag.\n",
      .usageRejected(detail: "Please provide the node and the optional --force flag.")
    ),
  ]

  static let removeOutcomes: [(MicroK8sSample, RemoveNodeOutcome)] = [
    (MicroK8sSample("remove-node removed", exit: 0), .removed),
    (
      MicroK8sSample(
        "remove-node does not exist",
        exit: 1,
        stdout: "Node node3 does not exist in Kubernetes.\n",
        stderr: notFoundStderr
      ),
      .notInKubernetes(removedDatastoreEntry: false)
    ),
    (
      MicroK8sSample(
        "remove-node ghost removed",
        exit: 1,
        stdout: "Node 10.0.0.3 does not exist in Kubernetes.\nAttempting to remove 10.0.0.3 "
          + "from dqlite.\nRemoving node entry found in dqlite.\n",
        stderr: "Error from server (NotFound): nodes \"10.0.0.3\" not found\n"
      ),
      .notInKubernetes(removedDatastoreEntry: true)
    ),
    (
      MicroK8sSample(
        "remove-node --force nothing in dqlite",
        exit: 1,
        stdout:
          "Node node3 does not exist in Kubernetes.\nAttempting to remove node3 from dqlite.\n",
        stderr: notFoundStderr
      ),
      .notInKubernetes(removedDatastoreEntry: false)
    ),
  ]

  static let all: [MicroK8sSample] =
    [version, tokenCheck] + crossCutting.map(\.sample) + addNodeFailures.map(\.sample)
    + leaveFailures.map(\.sample) + leaveSuccesses + removeFailures.map(\.sample)
    + removeOutcomes.map(\.0)
}
