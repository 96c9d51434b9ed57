/// `snap install microk8s` and `snap refresh microk8s` on one host: snapd's own messages
/// (snapd `cmd/snap/cmd_snap_op.go`), for a host that has no MicroK8s yet or one moving to
/// another track.
///
/// An install gives the host a fresh standalone MicroK8s on the channel's track, Ready
/// after the ready delay, with its low-memory guard on a small machine (upstream
/// `snap/hooks/install` creates `var/lock/low-memory-guard.lock` at 512 MiB or less). A
/// refresh changes the track and restarts the services: the Node reports the new
/// kubelet version and is NotReady for the ready delay, its datastore member offline as
/// long. snap itself refreshes to any
/// track; MicroK8s supports one minor version up at a time, so a refresh that skips one,
/// or goes back, leaves a node that never turns Ready again.
extension World {
  mutating func snap(_ command: Command) -> CommandOutcome {
    var words = command.arguments
    guard let operation = words.first, ["install", "refresh"].contains(operation) else {
      return .simulatorError(
        "'snap \(command.arguments.first ?? "")' is not simulated (install, refresh)",
        exitCode: 64
      )
    }
    words.removeFirst()
    var names: [String] = []
    var channel: String?
    var classic = false
    var index = 0
    while index < words.count {
      let word = words[index]
      if word == "--classic" {
        classic = true
      } else if word.hasPrefix("--channel=") {
        channel = String(word.dropFirst("--channel=".count))
      } else if word == "--channel", index + 1 < words.count {
        channel = words[index + 1]
        index += 1
      } else if word.hasPrefix("-") {
        return CommandOutcome(
          stderr: "error: unknown flag `\(word.drop { $0 == "-" })'\n",
          exitCode: 1
        )
      } else {
        names.append(word)
      }
      index += 1
    }
    guard names == ["microk8s"] else {
      return .simulatorError("only the microk8s snap is simulated", exitCode: 64)
    }
    let host = hosts[command.hostIndex]
    let track = channel.map { String($0.split(separator: "/").first ?? "") } ?? "latest"
    guard let release = track == "latest" ? .latest : MicroK8sRelease(track: track) else {
      return CommandOutcome(
        stderr: "error: requested a non-existing branch on \(channel ?? "latest/stable") for "
          + "snap \"microk8s\"\n",
        exitCode: 1
      )
    }
    let shown = "\(track)/" + (channel?.split(separator: "/").dropFirst().first ?? "stable")
    if operation == "refresh" {
      guard host.installed else {
        return CommandOutcome(stderr: "error: snap \"microk8s\" is not installed\n", exitCode: 1)
      }
      guard release.track != host.release.track else {
        return CommandOutcome(stderr: "snap \"microk8s\" has no updates available\n", exitCode: 0)
      }
      let from = host.release
      hosts[command.hostIndex].track = release.track
      refreshNodeVersion(hostIndex: command.hostIndex)
      restartKubelet(hostIndex: command.hostIndex, now: command.now)
      // Its datastore member restarts with the rest of the services: offline until the
      // node is Ready again, so two voters refreshed at once cost the majority.
      if settings.readyDelay > 0 {
        hosts[command.hostIndex].restartingUntil = command.now + settings.readyDelay
      }
      // MicroK8s supports one minor version up at a time: anything else (two up, or
      // down) leaves a node whose services never come back (docs "Upgrading MicroK8s",
      // and Kubernetes' version skew policy).
      if release.major != from.major || release.minor != from.minor + 1 {
        breakNode(hostIndex: command.hostIndex)
      }
      return CommandOutcome(
        stdout: "microk8s (\(shown)) \(release.snapVersion) from Canonical✓ refreshed\n",
        exitCode: 0
      )
    }
    guard !host.installed else {
      return CommandOutcome(
        stderr: "snap \"microk8s\" is already installed, see 'snap help refresh'\n",
        exitCode: 0
      )
    }
    guard classic else {
      return CommandOutcome(
        stderr: "error: This revision of snap \"microk8s\" was published using classic "
          + "confinement and thus may perform\n       arbitrary system changes outside of the "
          + "security sandbox that snaps are usually\n       confined to, which may put your "
          + "system at risk.\n\n       If you understand and want to proceed repeat the "
          + "command including --classic.\n",
        exitCode: 1
      )
    }
    hosts[command.hostIndex].installed = true
    hosts[command.hostIndex].track = release.track
    startFreshDatastore(
      hostIndex: command.hostIndex,
      readyAt: command.now + settings.readyDelay,
      now: command.now
    )
    return CommandOutcome(
      stdout: "microk8s (\(shown)) \(release.snapVersion) from Canonical✓ installed\n",
      exitCode: 0
    )
  }

  /// The host's Node never turns Ready again.
  private mutating func breakNode(hostIndex: Int) {
    let host = hosts[hostIndex]
    guard let clusterIndex = clusterIndex(host.cluster) else { return }
    for index in clusters[clusterIndex].nodes.indices
    where clusters[clusterIndex].nodes[index].host == host.address {
      clusters[clusterIndex].nodes[index].neverReady = true
    }
  }
}
