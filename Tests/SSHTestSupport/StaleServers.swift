import Glibc

/// Servers left behind by a test process that died before its cleanup ran.
///
/// Every harness directory is named after the test process's pid, so a server whose
/// directory names a process that no longer runs is an orphan: kill it, the commands
/// its sessions run, and its files, so one crashed run does not leave sshd listening.
enum StaleServers {
  static let prefix = "mktopo-sshd-"

  static func sweep() async {
    let launch = TestSSHD.sshd + " -D -e -f /tmp/" + prefix
    for (pid, commandLine) in ProcessTable.running(commandLineContaining: launch) {
      // sshd rewrites its title to `sshd: <command line> [listener] …`.
      guard let config = configFile(in: commandLine), let owner = owner(of: config),
        owner != getpid(), !ProcessTable.isRunning(owner)
      else { continue }
      ProcessTree(pid: pid).stop(marker: SSHTestServer.marker(configFile: config))
      if let slash = config.lastIndex(of: "/") { await TestFiles.remove(String(config[..<slash])) }
    }
  }

  /// The path after `-f `.
  private static func configFile(in commandLine: String) -> String? {
    guard let start = commandLine.firstRange(of: " -f ")?.upperBound else { return nil }
    return String(commandLine[start...].prefix { $0 != " " })
  }

  /// The pid in `/tmp/mktopo-sshd-<pid>-XXXXXX/...`.
  private static func owner(of config: String) -> pid_t? {
    guard let start = config.firstRange(of: "/tmp/" + prefix)?.upperBound else { return nil }
    return pid_t(config[start...].prefix { $0.isNumber })
  }
}
