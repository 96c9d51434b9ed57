/// Runs commands on this machine, directly, without a shell.
///
/// For a topology whose "node" is this host, and for the simulator
/// (`microk8s: ["microk8s-sim", "--state", DIR, "--host", "{address}"]`), which reports a
/// down host with exit status 255 just as ssh does; so 255 means unreachable here too.
public struct LocalTransport: Transport {
  public let host: String

  public init(host: String) {
    self.host = host
  }

  public func run(_ invocation: Invocation) async throws(TransportError) -> CommandResult {
    let result = try await ChildProcess.run(invocation.argv, for: invocation, host: host)
    try ExitStatus.check(result, of: invocation, on: host)
    return result
  }
}
