/// The shared ssh connection (ControlMaster) of each host, opened once before the commands
/// that use it.
///
/// With `ControlMaster=auto` alone, commands started at once to a host that has no
/// shared connection yet each find no socket, and each opens a TCP connection of its own
/// (the losers of the race to create the socket go on without sharing). So the first
/// command to a host waits while one `true` opens the connection, and commands that come
/// meanwhile wait for it too; after that they all go through the socket. A connection idle
/// for half of ControlPersist may have been closed by ssh: it is opened again the same way
/// (if it is still there, the `true` just goes through it).
actor SharedConnections {
  static let shared = SharedConnections()

  /// What `enter` lets a command do.
  enum Entry: Sendable, Equatable {
    /// Run through the shared connection; call `leave(_:)` after.
    case entered
    /// Run without the gate: the wait was cancelled, or the opener failed in a way the
    /// command will find out about itself (ssh missing, a timeout).
    case bypassed
    /// ssh itself failed to reach the host (exit 255: down, host key or login refused):
    /// the opener's result, which the command reports as its own rather than try the host
    /// again and wait out another connect timeout.
    case unreachable(CommandResult)
  }

  private enum State {
    /// One opener runs; commands wait for it in `waiting`.
    case opening
    /// Open: how many commands use it now, and since when none has.
    case open(inFlight: Int, idleSince: ContinuousClock.Instant)
  }

  private var states: [String: State] = [:]
  /// The commands waiting for an opener, by connection; resumed when it ends (true when
  /// it opened the connection, and they are counted in) or when they are cancelled (a
  /// read's deadline must not wait for a hung host's opener).
  private var waiting: [String: [UInt64: CheckedContinuation<Bool, Never>]] = [:]
  private var nextWaiter: UInt64 = 0
  /// The last opener's result when ssh itself failed (exit 255), for its waiters.
  private var unreachable: [String: CommandResult] = [:]
  private let clock = ContinuousClock()

  /// Call before a command on the connection `key`; after an `.entered`, `leave(_:)`.
  func enter(
    _ key: String,
    persist: Duration,
    open: @escaping @Sendable () async -> CommandResult?
  ) async -> Entry {
    switch states[key] {
    case .opening:
      break
    case .open(let inFlight, let idleSince)
    where inFlight > 0 || clock.now - idleSince < persist / 2:
      states[key] = .open(inFlight: inFlight + 1, idleSince: idleSince)
      return .entered
    case .open, nil:
      unreachable[key] = nil
      states[key] = .opening
      Task {
        let result = await open()
        opened(key, result)
      }
    }
    if await waitForOpener(key) { return .entered }
    if Task.isCancelled { return .bypassed }
    return unreachable[key].map(Entry.unreachable) ?? .bypassed
  }

  /// Waits for the opener of `key`; true when it opened the connection and counted this
  /// command in.
  private func waitForOpener(_ key: String) async -> Bool {
    let id = nextWaiter
    nextWaiter += 1
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        guard !Task.isCancelled else { return continuation.resume(returning: false) }
        waiting[key, default: [:]][id] = continuation
      }
    } onCancel: {
      Task { await self.release(key, id) }
    }
  }

  private func release(_ key: String, _ id: UInt64) {
    waiting[key]?.removeValue(forKey: id)?.resume(returning: false)
  }

  /// The opener ended: every command still waiting goes (counted in when it opened the
  /// connection, so a slow wake-up never finds it idle and opens it again).
  private func opened(_ key: String, _ result: CommandResult?) {
    let waiters = waiting.removeValue(forKey: key) ?? [:]
    let succeeded = result?.succeeded ?? false
    if succeeded {
      states[key] = .open(inFlight: waiters.count, idleSince: clock.now)
    } else {
      states[key] = nil
      if let result, result.status == .exited(ExitStatus.unreachable) { unreachable[key] = result }
    }
    for continuation in waiters.values { continuation.resume(returning: succeeded) }
  }

  /// How many commands wait for the opener of `key` (for tests).
  func waitingCount(_ key: String) -> Int { waiting[key]?.count ?? 0 }

  /// A command that `enter` let through has finished.
  func leave(_ key: String) {
    guard case .open(let inFlight, let idleSince) = states[key] else { return }
    states[key] = .open(
      inFlight: max(0, inFlight - 1),
      idleSince: inFlight <= 1 ? clock.now : idleSince
    )
  }

  /// The connection was closed (`ssh -O exit`): the next command opens it again.
  func forget(_ key: String) {
    if case .opening = states[key] { return }
    states[key] = nil
  }
}
