/// The text formats of `microk8s status` (contract §6), from `status.py`'s print functions.
enum StatusRenderer {
  /// `--format yaml`: Python booleans; `nodes` lists spares too; when not ready a
  /// `message:` line at two spaces, which YAML attaches to `high-availability`.
  static func yaml(ready: Bool, members: [DatastoreMember], addons: [Addon]) -> [String] {
    var lines = [
      "microk8s:", "  running: \(python(ready))", "high-availability:", "  enabled: True",
    ]
    lines.append("  nodes:")
    for member in members {
      lines.append("    - address: \(member.address)")
      lines.append("      role: \(member.role.rawValue)")
    }
    guard ready else {
      return lines + ["  message: \(WrapperMessages.notRunning)"]
    }
    lines.append("addons:")
    for addon in addons {
      lines.append("  - name: \(addon.name)")
      lines.append("    repository: \(addon.repository)")
      lines.append("    description: \(addon.description)")
      lines.append("    version: \(addon.version)")
      lines.append("    status: \(addon.enabled ? "enabled" : "disabled")")
    }
    return lines
  }

  /// `--format pretty`: voters as "master nodes", standbys listed, spares not shown at all;
  /// high availability means more than two voters.
  static func pretty(ready: Bool, members: [DatastoreMember], addons: [Addon]) -> [String] {
    guard ready else { return [WrapperMessages.notRunning] }
    func addresses(_ role: DatastoreMember.Role) -> String {
      let list = members.filter { $0.role == role }.map(\.address)
      return list.isEmpty ? "none" : list.joined(separator: " ")
    }
    let voters = members.filter { $0.role == .voter }.count
    var lines = [
      "microk8s is running",
      "high-availability: \(voters > 2 ? "yes" : "no")",
      "  datastore master nodes: \(addresses(.voter))",
      "  datastore standby nodes: \(addresses(.standby))",
      "addons:",
    ]
    for enabled in [true, false] {
      let group = addons.filter { $0.enabled == enabled }
      guard !group.isEmpty else { continue }
      lines.append(enabled ? "  enabled:" : "  disabled:")
      for addon in group {
        let padded = addon.name + String(repeating: " ", count: max(0, 20 - addon.name.count))
        lines.append("    \(padded) # (\(addon.repository)) \(addon.description)")
      }
    }
    return lines
  }

  /// `--format short`: no datastore information at all.
  static func short(ready: Bool, addons: [Addon]) -> [String] {
    guard ready else { return [WrapperMessages.notRunning] }
    return ["microk8s is running", "addons:"]
      + addons.map { "\($0.repository)/\($0.name): \($0.enabled ? "enabled" : "disabled")" }
  }

  /// The deprecated `--yaml` flag.
  static func shortYAML(ready: Bool, addons: [Addon]) -> [String] {
    let head = ["microk8s:", "  running: \(python(ready))"]
    guard ready else { return head + ["   message: \(WrapperMessages.notRunning)"] }
    return head + ["addons:"]
      + addons.map { "  \($0.name): \($0.enabled ? "enabled" : "disabled")" }
  }

  private static func python(_ value: Bool) -> String { value ? "True" : "False" }
}
