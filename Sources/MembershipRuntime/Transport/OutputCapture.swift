import Subprocess

/// Standard output and error of a child, read at the same time, each up to a limit.
struct CapturedOutput: Sendable {
  var standardOutput: [UInt8] = []
  var standardError: [UInt8] = []
  /// The first stream that went over the limit; the child was then stopped.
  var overflow: TransportError.Stream?
}

/// Reads both streams of a running child.
///
/// Both streams are drained concurrently: a child that fills the pipe of the one nobody
/// reads would otherwise block forever. A stream over the limit stops the child at once
/// rather than holding its output in memory.
enum OutputCapture {
  static func collect(
    _ execution: Execution<some InputProtocol, SequenceOutput, SequenceOutput>,
    limit: Int
  ) async -> CapturedOutput {
    await withTaskGroup(of: (TransportError.Stream, [UInt8], Bool).self) { group in
      let standardOutput = execution.standardOutput
      let standardError = execution.standardError
      group.addTask {
        let (bytes, complete) = await read(standardOutput, limit: limit)
        return (.standardOutput, bytes, complete)
      }
      group.addTask {
        let (bytes, complete) = await read(standardError, limit: limit)
        return (.standardError, bytes, complete)
      }
      var captured = CapturedOutput()
      for await (stream, bytes, complete) in group {
        switch stream {
        case .standardOutput: captured.standardOutput = bytes
        case .standardError: captured.standardError = bytes
        }
        if !complete, captured.overflow == nil {
          captured.overflow = stream
          // The child may keep writing to the other stream; stop it so that read ends.
          await execution.teardown(using: [
            .gracefulShutDown(
              toProcessGroup: true,
              allowedDurationToNextStep: ChildProcess.gracePeriod
            )
          ])
        }
      }
      return captured
    }
  }

  /// Reads a stream to its end, or to `limit` bytes.
  ///
  /// Returns everything and true, or the first `limit` bytes and false when there is
  /// more. A read error ends the stream: what arrived before it is kept.
  private static func read(
    _ stream: SubprocessOutputSequence,
    limit: Int
  ) async -> ([UInt8], Bool) {
    var bytes: [UInt8] = []
    do {
      for try await buffer in stream {
        guard bytes.count + buffer.count <= limit else {
          buffer.withUnsafeBytes { bytes.append(contentsOf: $0.prefix(limit - bytes.count)) }
          return (bytes, false)
        }
        buffer.withUnsafeBytes { bytes.append(contentsOf: $0) }
      }
    } catch {
      return (bytes, true)
    }
    return (bytes, true)
  }
}
