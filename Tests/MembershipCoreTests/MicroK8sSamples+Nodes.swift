import MembershipCore

enum NodesSamples {
  /// `kubectl get nodes -o json` as kubectl prints it (a `List`, contract section 7):
  /// a Ready control-plane node, a NotReady worker, and a pre-1.25 node with no MicroK8s
  /// labels, an `Unknown` Ready condition and dual-stack addresses (IPv6 first).
  static let three = """
    {
        "apiVersion": "v1",
        "items": [
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "annotations": {
                        "node.alpha.kubernetes.io/ttl": "0"
                    },
                    "creationTimestamp": "2024-05-01T10:00:00Z",
                    "labels": {
                        "beta.kubernetes.io/arch": "amd64",
                        "beta.kubernetes.io/os": "linux",
                        "kubernetes.io/arch": "amd64",
                        "kubernetes.io/hostname": "node1",
                        "kubernetes.io/os": "linux",
                        "microk8s.io/cluster": "true",
                        "node.kubernetes.io/microk8s-controlplane": "microk8s-controlplane"
                    },
                    "name": "node1",
                    "resourceVersion": "1234",
                    "uid": "6b1c7d0e-0000-4000-8000-000000000001"
                },
                "spec": {},
                "status": {
                    "addresses": [
                        {"address": "10.0.0.1", "type": "InternalIP"},
                        {"address": "node1", "type": "Hostname"}
                    ],
                    "allocatable": {"cpu": "2", "memory": "3926152Ki", "pods": "110"},
                    "conditions": [
                        {
                            "lastHeartbeatTime": "2024-05-01T10:05:00Z",
                            "message": "kubelet has sufficient memory available",
                            "reason": "KubeletHasSufficientMemory",
                            "status": "False",
                            "type": "MemoryPressure"
                        },
                        {
                            "lastHeartbeatTime": "2024-05-01T10:05:00Z",
                            "message": "kubelet is posting ready status",
                            "reason": "KubeletReady",
                            "status": "True",
                            "type": "Ready"
                        }
                    ],
                    "nodeInfo": {
                        "architecture": "amd64",
                        "containerRuntimeVersion": "containerd://1.6.15",
                        "kubeProxyVersion": "v1.28.3",
                        "kubeletVersion": "v1.28.3",
                        "operatingSystem": "linux"
                    }
                }
            },
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "labels": {
                        "kubernetes.io/hostname": "worker1",
                        "microk8s.io/cluster": "true",
                        "node.kubernetes.io/microk8s-worker": "microk8s-worker"
                    },
                    "name": "worker1"
                },
                "spec": {},
                "status": {
                    "addresses": [
                        {"address": "10.0.0.20", "type": "InternalIP"},
                        {"address": "worker1", "type": "Hostname"}
                    ],
                    "conditions": [
                        {"status": "False", "type": "Ready", "reason": "KubeletNotReady"}
                    ],
                    "nodeInfo": {"kubeletVersion": "v1.28.3"}
                }
            },
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "labels": {"kubernetes.io/hostname": "old3"},
                    "name": "old3"
                },
                "spec": {
                    "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable"}]
                },
                "status": {
                    "addresses": [
                        {"address": "fd00::3", "type": "InternalIP"},
                        {"address": "10.0.0.3", "type": "InternalIP"},
                        {"address": "old3", "type": "Hostname"}
                    ],
                    "conditions": [
                        {"status": "Unknown", "type": "Ready", "reason": "NodeStatusUnknown"}
                    ],
                    "nodeInfo": {"kubeletVersion": "v1.24.0-2+59bbb3530b6769"}
                }
            }
        ],
        "kind": "List",
        "metadata": {
            "resourceVersion": ""
        }
    }

    """

  static let expected: [ObservedNode] = [
    ObservedNode(
      name: "node1",
      internalIP: ip("10.0.0.1"),
      role: .mixed,
      ready: true,
      kubeletVersion: "v1.28.3"
    ),
    ObservedNode(
      name: "worker1",
      internalIP: ip("10.0.0.20"),
      role: .worker,
      ready: false,
      kubeletVersion: "v1.28.3"
    ),
    ObservedNode(
      name: "old3",
      internalIP: ip("10.0.0.3"),
      role: nil,
      ready: false,
      kubeletVersion: "v1.24.0-2+59bbb3530b6769"
    ),
  ]

  /// A `NodeList` with one node that has no addresses, conditions or nodeInfo yet.
  static let bare = """
    {"apiVersion": "v1", "kind": "NodeList", "items": [{"metadata": {"name": "fresh"}}]}
    """

  static let empty = #"{"apiVersion": "v1", "items": [], "kind": "List", "metadata": {}}"#

  /// kubectl on a worker prints a sentence, exit 0 (contract section 1).
  static let worker =
    "This MicroK8s deployment is acting as a node in a cluster. Please use the microk8s "
    + "kubectl on the master.\n"

  static let all: [MicroK8sSample] = [
    MicroK8sSample("nodes three", exit: 0, stdout: three),
    MicroK8sSample("nodes bare", exit: 0, stdout: bare),
    MicroK8sSample("nodes empty", exit: 0, stdout: empty),
    MicroK8sSample("nodes worker", exit: 0, stdout: worker),
    MicroK8sSample(
      "nodes API down",
      exit: 1,
      stderr: "The connection to the server 127.0.0.1:16443 was refused - did you specify "
        + "the right host or port?\n"
    ),
    MicroK8sSample(
      "nodes stopped",
      exit: 1,
      stderr: "microk8s is not running, try microk8s start\n"
    ),
  ]
}
