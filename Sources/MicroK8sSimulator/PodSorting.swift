/// kubectl drain's pod filters (pkg/drain/filters.go), in their order: DaemonSet pods,
/// then local storage, then pods that declare no controller.
///
/// Each filter gives a pod a status; the first that keeps the pod stops the others, and
/// the last one given is the pod's. So a pod with `emptyDir` data and a controller, drained
/// with `--delete-emptydir-data`, ends with the controller filter's plain "okay": kubectl
/// prints no local-storage warning for it.
struct PodSorting {
  private enum Status {
    case okay
    case warning(String)
    case skipped(String)
    case error(String)
  }

  static let daemonSetFatal = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
  static let daemonSetWarning = "ignoring DaemonSet-managed Pods"
  static let localStorageFatal = "Pods with local storage (use --delete-emptydir-data to override)"
  static let localStorageWarning = "deleting Pods with local storage"
  static let unmanagedFatal = "Pods that declare no controller (use --force to override)"
  static let unmanagedWarning = "deleting Pods that declare no controller"

  /// The pods to evict, in the order listed.
  private(set) var deletable: [SimulatedPod] = []
  /// `MESSAGE: ns/a, ns/b` per warning, joined with `; `; nil when none.
  private(set) var warnings: String?
  /// `cannot delete MESSAGE: ns/a, ns/b`, aggregated as Go does; nil when none.
  private(set) var error: String?

  init(_ pods: [SimulatedPod], _ options: World.DrainOptions) {
    var warned: [(message: String, pods: [String])] = []
    var failed: [(message: String, pods: [String])] = []
    func add(
      _ message: String,
      _ pod: SimulatedPod,
      to groups: inout [(message: String, pods: [String])]
    ) {
      if let index = groups.firstIndex(where: { $0.message == message }) {
        groups[index].pods.append(pod.qualifiedName)
      } else {
        groups.append((message, [pod.qualifiedName]))
      }
    }
    for pod in pods {
      switch Self.status(of: pod, options) {
      case .okay: deletable.append(pod)
      case .warning(let message):
        deletable.append(pod)
        add(message, pod, to: &warned)
      case .skipped(let message): add(message, pod, to: &warned)
      case .error(let message): add(message, pod, to: &failed)
      }
    }
    if !warned.isEmpty {
      warnings = warned.map { "\($0.message): " + $0.pods.joined(separator: ", ") }
        .joined(separator: "; ")
    }
    if !failed.isEmpty {
      error = World.aggregate(
        failed.map { "cannot delete \($0.message): " + $0.pods.joined(separator: ", ") }
      )
    }
  }

  private static func status(of pod: SimulatedPod, _ options: World.DrainOptions) -> Status {
    if pod.owner == .daemonSet {
      return options.ignoreDaemonSets ? .skipped(daemonSetWarning) : .error(daemonSetFatal)
    }
    if pod.emptyDir, !options.deleteEmptyDirData { return .error(localStorageFatal) }
    if pod.owner == .none {
      return options.force ? .warning(unmanagedWarning) : .error(unmanagedFatal)
    }
    return .okay
  }
}
