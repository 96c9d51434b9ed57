/// The simulator's own commands: init, host, fault, show, settings (pod and pdb in
/// SimulatorCommandLine+Workloads).
extension SimulatorCommandLine {
  static func simulatorCommand(
    _ name: String,
    _ arguments: [String],
    store: StateStore,
    now: Double
  ) -> CommandOutcome {
    switch name {
    case "init": return initialize(arguments, store: store, now: now)
    case "host": return host(arguments, store: store, now: now)
    case "fault": return fault(arguments, store: store)
    case "settings": return settings(arguments, store: store)
    case "pod": return pod(arguments, store: store)
    case "pdb": return pdb(arguments, store: store)
    default:
      guard arguments.isEmpty else { return usage("show takes no arguments") }
      return withStore(store) { world in
        world.settle(now: now)
        do {
          return CommandOutcome(stdout: try WorldView(world, now: now).json() + "\n", exitCode: 0)
        } catch {
          return .simulatorError("cannot encode the world: \(error)", exitCode: ioError)
        }
      }
    }
  }

  /// `init --host ADDRESS=HOSTNAME[:TRACK] ...`: a new world of standalone hosts.
  static func initialize(_ arguments: [String], store: StateStore, now: Double) -> CommandOutcome {
    var specs: [HostSpec] = []
    var rest = arguments[...]
    while !rest.isEmpty {
      guard let text = option("--host", in: &rest) else {
        return usage("init expects --host ADDRESS=HOSTNAME[:TRACK], got '\(rest.first ?? "")'")
      }
      switch HostSpec.parse(text) {
      case .failure(let error): return usage("--host \(text): \(error)")
      case .success(let spec):
        if specs.contains(where: { $0.address == spec.address }) {
          return usage("address \(spec.address) is given twice")
        }
        specs.append(spec)
      }
    }
    guard !specs.isEmpty else { return usage("init needs at least one --host ADDRESS=HOSTNAME") }
    do {
      try store.create(World(hosts: specs, now: now))
    } catch {
      return .simulatorError(error.description, exitCode: ioError)
    }
    let noun = specs.count == 1 ? "host" : "hosts"
    return CommandOutcome(
      stdout: "Created a world of \(specs.count) standalone \(noun) in \(store.directory).\n",
      exitCode: 0
    )
  }

  /// `host ADDRESS ACTION`.
  static func host(_ arguments: [String], store: StateStore, now: Double) -> CommandOutcome {
    guard arguments.count >= 2, let action = HostAction.parse(Array(arguments.dropFirst())) else {
      return usage("usage: host ADDRESS \(HostAction.usage)")
    }
    let address = arguments[0]
    return withStore(store) { world in
      world.apply(action, to: address, now: now)
        ? CommandOutcome(exitCode: 0) : usage("no simulated host has the address \(address)")
    }
  }

  /// `fault ADDRESS VERB ERROR [--times N | --always]` and `fault clear [ADDRESS]`.
  static func fault(_ arguments: [String], store: StateStore) -> CommandOutcome {
    if arguments.first == "clear" {
      guard arguments.count <= 2 else { return usage("usage: fault clear [ADDRESS]") }
      let address = arguments.count == 2 ? arguments[1] : nil
      return withStore(store) { world in
        world.faults.removeAll { address == nil || $0.address == address }
        return CommandOutcome(exitCode: 0)
      }
    }
    guard arguments.count >= 3 else {
      return usage("usage: fault ADDRESS VERB ERROR [--times N | --always]")
    }
    let (address, verb, name) = (arguments[0], arguments[1], arguments[2])
    guard let kind = FaultKind(rawValue: name) else {
      return usage("unknown fault '\(name)'; `microk8s-sim faults` lists them")
    }
    let verbs = kind.verbs.map(\.rawValue) + (kind.acceptsAnyVerb ? [Fault.anyVerb] : [])
    guard verbs.contains(verb) else {
      return usage("fault \(name) applies to \(verbs.joined(separator: ", ")), not '\(verb)'")
    }
    var remaining: Int? = 1
    switch Array(arguments.dropFirst(3)) {
    case []: break
    case ["--always"]: remaining = nil
    case let times where times.count == 2 && times[0] == "--times":
      // Saturated, so that a count too long for an Int means "always" rather than a typo.
      guard let count = PythonInteger.parse(times[1]), count >= 1 else {
        return usage("--times needs a positive number, got '\(times[1])'")
      }
      remaining = count
    default: return usage("usage: fault ADDRESS VERB ERROR [--times N | --always]")
    }
    let fault = Fault(address: address, verb: verb, kind: kind, remaining: remaining)
    return withStore(store) { world in
      guard world.hostIndex(address) != nil else {
        return usage("no simulated host has the address \(address)")
      }
      world.faults.append(fault)
      return CommandOutcome(exitCode: 0)
    }
  }

  /// `settings [NAME=DURATION ...]`: changes the settings given, prints them all.
  static func settings(_ arguments: [String], store: StateStore) -> CommandOutcome {
    var settings = SimulatorSettings()
    return withStore(store) { world in
      settings = world.settings
      for assignment in arguments {
        if let error = settings.apply(assignment) { return usage(error) }
      }
      world.settings = settings
      return CommandOutcome(stdout: settings.description + "\n", exitCode: 0)
    }
  }
}
