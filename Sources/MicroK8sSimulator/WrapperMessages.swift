/// Texts the MicroK8s shell wrappers print before any Python runs (contract §1, §2.2).
enum WrapperMessages {
  static let stopped = "microk8s is not running, try microk8s start"

  static let notRoot = "Elevated permissions are needed for this command. Please use sudo."

  static let workerAddNode =
    "This MicroK8s deployment is acting as a node in a cluster. "
    + "Please use the microk8s add-node on the master."

  static let workerRemoveNode =
    "This MicroK8s deployment is acting as a node in a cluster. Please use microk8s leave."

  static let workerKubectl =
    "This MicroK8s deployment is acting as a node in a cluster. "
    + "Please use the microk8s kubectl on the master."

  static let workerStatus = [
    "This MicroK8s deployment is acting as a node in a cluster.",
    "Please use the control plane node.",
  ]

  static let notInCluster = "This MicroK8s deployment is not acting as a node in a cluster."

  static let notRunning = "microk8s is not running. Use microk8s inspect for a deeper inspection."

  static let apiRefused =
    "The connection to the server 127.0.0.1:16443 was refused - "
    + "did you specify the right host or port?"

  /// What k8s-dqlite answers every query with while its datastore has no leader.
  static let noDqliteLeader = "Error: no available dqlite leader server found"

  static let apiTimeout =
    "Error from server (Timeout): the server was unable to return a response in the time "
    + "allotted, but may still be processing the request (get nodes)"

  static func permissions(user: String) -> [String] {
    [
      "Insufficient permissions to access MicroK8s.",
      "You can either try again with sudo or add the user \(user) to the 'microk8s' group:",
      "",
      "    sudo usermod -a -G microk8s \(user)",
      "    sudo chown -R \(user) ~/.kube",
      "",
      "After this, reload the user groups either via a reboot or by running 'newgrp microk8s'.",
    ]
  }

  /// `exit_if_low_memory_guard` in `utils.sh` (contract §6 wrapper pre-checks).
  static let lowMemoryStatus = [
    "",
    "This node does not have enough RAM to host the Kubernetes control plane services",
    "and join the database quorum. You may consider joining this node as a worker",
    "node to a cluster.",
    "",
    "If you would still like to start the control plane services, start MicroK8s with:",
    "",
    "    microk8s start --disable-low-memory-guard",
    "",
  ]

  static let freshInstall = [
    "Clustering requires a fresh MicroK8s installation. Reinstall with:",
    "sudo snap remove microk8s",
    "sudo snap install microk8s --classic",
  ]

  static func help() -> [String] {
    ["Available subcommands are:"] + MicroK8sVerb.listed.map { "\t" + $0 }
  }
}
