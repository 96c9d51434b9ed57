/// Pods and PodDisruptionBudgets as `kubectl get ... -o json` lists them: the fields a
/// client reads to see where pods run, what owns them and what a budget allows.
enum WorkloadRenderer {
  static func pod(_ pod: SimulatedPod, now: Double) -> JSONDocument {
    var metadata: [(String, JSONDocument)] = [
      ("name", .string(pod.name)), ("namespace", .string(pod.namespace)),
    ]
    if let app = pod.app { metadata.append(("labels", .object([("app", .string(app))]))) }
    switch pod.owner {
    case .replicaSet:
      metadata.append(("ownerReferences", .array([owner("apps/v1", "ReplicaSet", pod)])))
    case .daemonSet:
      metadata.append(("ownerReferences", .array([owner("apps/v1", "DaemonSet", pod)])))
    case .none: break
    }
    var spec: [(String, JSONDocument)] = [
      (
        "volumes",
        .array(
          pod.emptyDir ? [.object([("emptyDir", .object([])), ("name", .string("scratch"))])] : []
        )
      )
    ]
    if let node = pod.node { spec.append(("nodeName", .string(node))) }
    let ready = pod.isReady(at: now)
    return .object([
      ("apiVersion", .string("v1")),
      ("kind", .string("Pod")),
      ("metadata", .object(metadata)),
      ("spec", .object(spec)),
      (
        "status",
        .object([
          (
            "conditions",
            .array([
              .object([("status", .string(ready ? "True" : "False")), ("type", .string("Ready"))])
            ])
          ),
          ("phase", .string(pod.node == nil ? "Pending" : "Running")),
        ])
      ),
    ])
  }

  /// A `policy/v1` budget with the status the disruption controller keeps: Ready pods of
  /// its app, how many it wants, and how many may go now.
  static func budget(_ budget: DisruptionBudget, pods: [SimulatedPod], now: Double) -> JSONDocument
  {
    let selected = pods.filter { $0.namespace == budget.namespace && $0.app == budget.app }
    let healthy = selected.filter { $0.isReady(at: now) }.count
    return .object([
      ("apiVersion", .string("policy/v1")),
      ("kind", .string("PodDisruptionBudget")),
      (
        "metadata",
        .object([("name", .string(budget.name)), ("namespace", .string(budget.namespace))])
      ),
      (
        "spec",
        .object([
          ("minAvailable", .number(budget.minAvailable)),
          ("selector", .object([("matchLabels", .object([("app", .string(budget.app))]))])),
        ])
      ),
      (
        "status",
        .object([
          ("currentHealthy", .number(healthy)),
          ("desiredHealthy", .number(budget.minAvailable)),
          ("disruptionsAllowed", .number(max(0, healthy - budget.minAvailable))),
          ("expectedPods", .number(selected.count)),
        ])
      ),
    ])
  }

  private static func owner(
    _ apiVersion: String,
    _ kind: String,
    _ pod: SimulatedPod
  ) -> JSONDocument {
    .object([
      ("apiVersion", .string(apiVersion)),
      ("controller", .bool(true)),
      ("kind", .string(kind)),
      ("name", .string(pod.app ?? pod.name)),
    ])
  }
}
