/// `snap install microk8s` and `snap refresh microk8s`: snapd's own messages (snapd
/// `cmd/snap/cmd_snap_op.go`, `client/errors.go`).
extension MicroK8sOutput {
  /// What became of an install or a refresh that succeeded.
  public enum SnapOutcome: Sendable, Equatable {
    /// `microk8s (1.30/stable) v1.30.14 from Canonical✓ installed` (or `refreshed`).
    case done
    /// `snap "microk8s" is already installed`, or `has no updates available`: exit 0,
    /// and nothing changed.
    case unchanged
  }

  /// Reads `snap install microk8s ...` or `snap refresh microk8s ...`, run as `channel`.
  public static func snap(
    _ output: CommandOutput,
    channel: String
  ) throws(MicroK8sFailure) -> SnapOutcome {
    if output.exitStatus == 0 {
      if output.mentions("is already installed") || output.mentions("has no updates available") {
        return .unchanged
      }
      guard output.mentions(" installed") || output.mentions(" refreshed") else {
        throw .unrecognised(output)
      }
      return .done
    }
    // `snap` itself not found: the shell's 127, or sudo's own words for it.
    if output.exitStatus == 127 || output.mentions("snap: command not found")
      || output.mentions("sudo: snap: command not found")
    {
      throw .snapdMissing
    }
    if output.mentions("sudo: a password is required") || output.mentions("sudo: a terminal")
      || output.mentions("access denied") || output.mentions("is not in the sudoers file")
    {
      throw .snapNotPermitted
    }
    if output.mentions("non-existing branch") || output.mentions("is not available on")
      || output.mentions("not found")
    {
      throw .snapChannelMissing(channel: channel)
    }
    throw .unrecognised(output)
  }
}
