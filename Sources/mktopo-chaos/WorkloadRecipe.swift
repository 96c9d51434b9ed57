/// The pods and disruption budgets a scenario's cluster runs before mktopo first does, so
/// that removals and role changes drain real work: ReplicaSet pods (some with local
/// storage) under budgets that allow one disruption at a time, DaemonSet pods, and now
/// and then what no drain can move: a pod without a controller, or a budget that allows
/// no disruption at all.
struct WorkloadRecipe: Sendable {
  /// `microk8s-sim pod add` and `pdb add` argument lists, in order.
  var commands: [[String]]
  /// Node names holding what a drain refuses, with what: such a node cannot leave while
  /// policy.drain is on.
  var undrainable: [String: String]

  static let none = WorkloadRecipe(commands: [], undrainable: [:])

  /// Workloads on the joined hosts of the file's cluster.
  static func generate(on hosts: [HostRecipe], _ random: inout SplitMix64) -> WorkloadRecipe {
    var recipe = WorkloadRecipe.none
    // Pods of each app, by the node they run on.
    var apps: [String: [String]] = [:]
    for host in hosts where random.chance(0.5) {
      for _ in 1...random.int(1...2) {
        let number = recipe.commands.count
        var command = ["pod", "add", "", "--on", host.nodeName]
        switch random.int(0...19) {
        case 0:
          command[2] = "default/debug-\(number)"
          command.append("--naked")
          recipe.undrainable[host.nodeName] = "pod \(command[2]) has no controller"
        case 1...3:
          command[2] = "kube-system/agent-\(number)"
          command.append("--daemonset")
        default:
          let app = random.pick(["web", "db", "cache"])
          command[2] = "shop/\(app)-\(number)"
          command += ["--app", app]
          if random.chance(0.2) { command.append("--emptydir") }
          apps[app, default: []].append(host.nodeName)
        }
        recipe.commands.append(command)
      }
    }
    guard let anchor = hosts.first?.nodeName else { return recipe }
    for app in apps.keys.sorted() {
      guard let nodes = apps[app], nodes.count >= 2, random.chance(0.5) else { continue }
      // count - 1 lets one pod go at a time; count (rarely) lets none go.
      let strict = random.chance(0.08)
      let minimum = strict ? nodes.count : nodes.count - 1
      recipe.commands.append([
        "pdb", "add", "shop/\(app)", "--on", anchor, "--app", app,
        "--min-available", String(minimum),
      ])
      if strict {
        for node in nodes { recipe.undrainable[node] = "budget shop/\(app) allows no disruption" }
      }
    }
    return recipe
  }
}
