/// `microk8s add-node` (contract §2).
extension World {
  static let agentPort = 25000
  static let tokenMinimumLength = 32
  static let addNodeFormats = ["pretty", "short", "token", "token-check", "json", "yaml"]

  mutating func addNode(_ command: Command) -> CommandOutcome {
    let index = command.hostIndex
    let address = hosts[index].address
    var transcript = Transcript()
    if let refusal = addNodeRefusal(command) { return refusal }
    let values: [String: String]
    switch Self.addNodeParser.parse(command.arguments) {
    case .exit(let outcome): return outcome
    case .values(let parsed): values = parsed
    }
    let token = values["--token"] ?? HexDigest.random(bytes: 16)
    guard token.count >= Self.tokenMinimumLength else {
      transcript.out("Invalid token size.  It must be 32 characters long.")
      return transcript.exit(1)
    }
    let ttl = values["--token-ttl"].flatMap(PythonInteger.parse) ?? -1
    hosts[index].tokens.append(JoinToken(token: token, ttl: ttl, now: command.now))
    // The token is on file before the helper that computes the check runs (§2.2 item 6).
    if takeFault(.addNodeUtilityFailure, host: address, verb: .addNode) {
      transcript.out("Failed to call utility function.")
      return transcript.exit(1)
    }
    printJoinCommands(
      token: token,
      host: hosts[index],
      format: values["--format"] ?? "pretty",
      into: &transcript
    )
    return transcript.exit(0)
  }

  /// The wrapper's checks, in the wrapper's order (contract §1, §2.2).
  private mutating func addNodeRefusal(_ command: Command) -> CommandOutcome? {
    var transcript = Transcript()
    if hosts[command.hostIndex].mode == .worker {
      transcript.out(WrapperMessages.workerAddNode)
      return transcript.exit(1)
    }
    // contract §2.1: any argument containing "help" prints the help, even a token.
    if command.arguments.contains(where: { $0.contains("help") }) {
      return CommandOutcome(
        stdout: Self.addNodeParser.help.joined(separator: "\n") + "\n",
        exitCode: 0
      )
    }
    if let failure = notRootFailure(command) { return failure }
    if let failure = permissionFailure(command) { return failure }
    let address = hosts[command.hostIndex].address
    if takeFault(.addNodeFreshInstallRequired, host: address, verb: .addNode) {
      WrapperMessages.freshInstall.forEach { transcript.out($0) }
      return transcript.exit(1)
    }
    if isStopped(command) {
      transcript.err(WrapperMessages.stopped)
      return transcript.exit(1)
    }
    return nil
  }

  /// The output formats of contract §2.5; the simulated host has one IP address, which is
  /// both its default and its only address.
  private func printJoinCommands(
    token: String,
    host: SimulatedHost,
    format: String,
    into transcript: inout Transcript
  ) {
    let check = host.fingerprint
    let url = "\(host.address):\(Self.agentPort)/\(token)/\(check)"
    switch format {
    case "token":
      transcript.out(token)
    case "token-check":
      transcript.out("\(token)/\(check)")
    case "short":
      transcript.out("microk8s join \(url)")
      // ≤1.29 printed the default IP a second time (contract §2.5, commit 0a11d61e).
      if !host.release.isAtLeast(1, 30) { transcript.out("microk8s join \(url)") }
    case "json":
      let document = JSONDocument.object([
        ("token", .string("\(token)/\(check)")),
        ("urls", .array([.string(url)])),
      ])
      transcript.out(document.rendered(indent: 2, sortKeys: false))
    case "yaml":
      transcript.out("token: \(token)/\(check)")
      transcript.out("urls:")
      transcript.out("- \(url)")
      transcript.out()
    default:
      transcript.out("From the node you wish to join to this cluster, run the following:")
      transcript.out("microk8s join \(url)")
      transcript.out()
      transcript.out(
        "Use the '--worker' flag to join a node as a worker not running the control plane, eg:"
      )
      transcript.out("microk8s join \(url) --worker")
      transcript.out()
      transcript.out(
        "If the node you are adding is not reachable through the default interface "
          + "you can use one of the following:"
      )
      transcript.out("microk8s join \(url)")
    }
  }

  static let addNodeParser = Argparse(
    prog: "microk8s add-node",
    usage: [
      "usage: microk8s add-node [-h] [--token-ttl TOKEN_TTL] [--token TOKEN]",
      "                         [--format {pretty,short,token,token-check,json,yaml}]",
    ],
    help: [
      "usage: microk8s add-node [-h] [--token-ttl TOKEN_TTL] [--token TOKEN]",
      "                         [--format {pretty,short,token,token-check,json,yaml}]",
      "",
      "Produce a connection string for a node to join the cluster.",
      "",
      "optional arguments:",
      "  -h, --help            show this help message and exit",
      "  --token-ttl TOKEN_TTL, -l TOKEN_TTL",
      "                        Specify how long the token is valid, before it",
      "                        expires. Value of \"-1\" indicates that the token is",
      "                        usable only once (i.e. after joining a node, the token",
      "                        becomes invalid)",
      "  --token TOKEN, -t TOKEN",
      "                        Specify the bootstrap token to add, must be 32",
      "                        characters long. Auto generates when empty.",
      "  --format {pretty,short,token,token-check,json,yaml}",
      "                        Format the output of the token in pretty, short,",
      "                        token, or token-check",
    ],
    options: [
      .init(names: ["--token-ttl", "-l"], integer: true),
      .init(names: ["--token", "-t"]),
      .init(names: ["--format"], choices: addNodeFormats),
    ]
  )
}
