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

  private enum State {
    /// One opener runs; commands wait for it in `waiting`.
    case opening
    /// Open: how many commands use it now, and since when none has.
    case open(inFlight: Int, idleSince: ContinuousClock.Instant)
  }

  private var states: [String: State] = [:]
  /// The commands waiting for an opener, by connection; resumed when it ends or they are
  /// cancelled (a read's deadline must not wait for a hung host's opener).
  private var waiting: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
  private var nextWaiter: UInt64 = 0
  /// The last opener's result when ssh itself failed (exit 255), for its waiters.
  private var unreachable: [String: CommandResult] = [:]
  private let clock = ContinuousClock()

  /// Call before a command on the connection `key`; `leave(_:)` after it.
  ///
  /// Returns nil when the command may run, or the opener's result when ssh itself failed
  /// (exit 255: unreachable, host key or login refused), which the caller reports as its
  /// own rather than try the host again and wait out another connect timeout.
  func enter(
    _ key: String,
    persist: Duration,
    open: @escaping @Sendable () async -> CommandResult?
  ) async -> CommandResult? {
    while true {
      switch states[key] {
      case .opening:
        await waitForOpener(key)
        // Cancelled, or the opener failed: the command runs, and finds out for itself,
        // unless ssh could not reach the host, which it is told at once.
        if Task.isCancelled { return nil }
        guard case .open = states[key] else { return unreachable[key] }
      case .open(let inFlight, let idleSince)
      where inFlight > 0 || clock.now - idleSince < persist / 2:
        states[key] = .open(inFlight: inFlight + 1, idleSince: idleSince)
        return nil
      case .open, nil:
        unreachable[key] = nil
        states[key] = .opening
        Task {
          let result = await open()
          opened(key, result)
        }
      }
    }
  }

  private func waitForOpener(_ key: String) async {
    let id = nextWaiter
    nextWaiter += 1
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        guard !Task.isCancelled else { return continuation.resume() }
        waiting[key, default: [:]][id] = continuation
      }
    } onCancel: {
      Task { await self.release(key, id) }
    }
  }

  private func release(_ key: String, _ id: UInt64) {
    waiting[key]?.removeValue(forKey: id)?.resume()
  }

  private func opened(_ key: String, _ result: CommandResult?) {
    if let result, result.succeeded {
      states[key] = .open(inFlight: 0, idleSince: clock.now)
    } else {
      states[key] = nil
      if let result, result.status == .exited(ExitStatus.unreachable) { unreachable[key] = result }
    }
    for continuation in (waiting.removeValue(forKey: key) ?? [:]).values { continuation.resume() }
  }

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
