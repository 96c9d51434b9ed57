import Glibc

/// Reads /proc, for tests that check which processes are still alive.
public enum ProcessTable {
  /// Whether `pid` is a live process: not gone and not a zombie waiting to be reaped
  /// (this container's init never reaps orphans, so a killed orphan stays a zombie).
  public static func isRunning(_ pid: pid_t) -> Bool {
    guard let state = statField(pid, index: 0) else { return false }
    return state != "Z" && state != "X"
  }

  /// Live processes whose command line contains `text`, with that command line.
  public static func running(
    commandLineContaining text: String
  ) -> [(pid: pid_t, commandLine: String)] {
    pids().compactMap { pid in
      guard let line = commandLine(pid), line.contains(text), isRunning(pid) else { return nil }
      return (pid, line)
    }
  }

  /// The command line of `pid`, arguments separated by spaces.
  public static func commandLine(_ pid: pid_t) -> String? {
    guard let bytes = readSmallFile("/proc/\(pid)/cmdline", limit: 64 * 1024) else { return nil }
    return String(decoding: bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
  }

  /// Live processes with an environment entry that starts with `prefix` (`NAME=value`).
  public static func running(environmentEntryStartingWith prefix: String) -> [pid_t] {
    let wanted = Array(prefix.utf8)
    return pids().filter { pid in
      guard let bytes = readSmallFile("/proc/\(pid)/environ", limit: 1024 * 1024) else {
        return false
      }
      return bytes.split(separator: 0).contains { $0.starts(with: wanted) } && isRunning(pid)
    }
  }

  /// Every process's parent.
  static func parents() -> [(pid: pid_t, parent: pid_t)] {
    pids().compactMap { pid in
      statField(pid, index: 1).flatMap { pid_t($0) }.map { (pid, $0) }
    }
  }

  static func pids() -> [pid_t] {
    guard let directory = opendir("/proc") else { return [] }
    defer { closedir(directory) }
    var result: [pid_t] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if let pid = pid_t(name) { result.append(pid) }
    }
    return result
  }

  /// A field of /proc/PID/stat after the command name: 0 is the state, 1 the parent.
  static func statField(_ pid: pid_t, index: Int) -> String? {
    guard let bytes = readSmallFile("/proc/\(pid)/stat", limit: 4096) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    // The command name is in parentheses and may itself contain spaces or ')'.
    guard let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return index < fields.count ? String(fields[index]) : nil
  }

  static func readSmallFile(_ path: String, limit: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: limit)
    var total = 0
    while total < limit {
      let count = buffer.withUnsafeMutableBytes {
        read(descriptor, $0.baseAddress.map { $0 + total }, limit - total)
      }
      if count < 0, errno == EINTR { continue }
      if count <= 0 { break }
      total += count
    }
    return total > 0 ? Array(buffer[0..<total]) : nil
  }
}
