/// Turns exit status 255 into the error it stands for.
///
/// ssh exits 255 when it fails itself (cannot connect, host key refused, no key
/// accepted) and otherwise passes the remote status through; the simulator copies that
/// convention for a down host. A remote command that exits 255 on its own is
/// indistinguishable, and is reported as unreachable too.
enum ExitStatus {
  static let unreachable: Int32 = 255

  static func check(
    _ result: CommandResult,
    of invocation: Invocation,
    on host: String
  ) throws(TransportError) {
    guard result.status == .exited(unreachable) else { return }
    let detail = OutputExcerpt.tail(result.standardError, secrets: invocation.secrets)
    throw TransportError(
      host: host,
      command: invocation.display,
      reason: reason(standardError: result.standardError, detail: detail)
    )
  }

  /// ssh's own messages for the two failures an operator fixes differently from a
  /// host that is down.
  private static func reason(standardError: String, detail: String) -> TransportError.Reason {
    if standardError.contains("Host key verification failed")
      || standardError.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
    {
      return .hostKeyRejected(detail: detail)
    }
    if standardError.contains("Permission denied (") {
      return .authenticationRejected(detail: detail)
    }
    return .unreachable(detail: detail)
  }
}
