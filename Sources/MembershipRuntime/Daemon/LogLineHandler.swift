import Logging
import MembershipCore

/// A swift-log handler that writes one line per message, as text or as JSON.
///
/// Text is for a terminal and for journald (`2026-11-25T08:41:07Z info pass
/// revision=3f2a… outcome=converged …`); JSON is for log shippers, one object per line
/// with `time`, `level` and `message` first. Either way a line is written whole in one
/// call, so lines from concurrent tasks never interleave, and values with newlines are
/// escaped so one message stays one line.
public struct LogLineHandler: LogHandler {
  public enum Format: String, Sendable, CaseIterable {
    case text
    case json
  }

  public var format: Format
  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  private let sink: @Sendable (String) -> Void
  private let clock: @Sendable () -> String

  /// - Parameters:
  ///   - sink: receives each line, ending in a newline.
  ///   - clock: the time stamp for a line (RFC 3339 UTC); tests fix it.
  public init(
    format: Format,
    level: Logger.Level = .info,
    clock: @escaping @Sendable () -> String = { UTCTimestamp.now() },
    sink: @escaping @Sendable (String) -> Void
  ) {
    self.format = format
    self.logLevel = level
    self.clock = clock
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Keys that lead a line in this order when present; the rest follow sorted by name,
  /// so that the same event always prints the same way.
  static let leadingKeys = [
    "revision", "outcome", "changes", "drift", "duration", "next", "change", "step",
  ]

  public func log(event: LogEvent) {
    var merged = metadata
    if let extra = event.metadata { merged.merge(extra) { _, new in new } }
    let keys =
      Self.leadingKeys.filter { merged[$0] != nil }
      + merged.keys.filter { !Self.leadingKeys.contains($0) }.sorted()
    let pairs = keys.compactMap { key in merged[key].map { (key, $0) } }
    sink(line(level: event.level, message: "\(event.message)", pairs: pairs))
  }

  func line(level: Logger.Level, message: String, pairs: [(String, Logger.MetadataValue)]) -> String
  {
    switch format {
    case .json:
      var fields = [
        "\"time\":" + DiagnosticJSON.quote(clock()),
        "\"level\":" + DiagnosticJSON.quote(level.rawValue),
        "\"message\":" + DiagnosticJSON.quote(message),
      ]
      for (key, value) in pairs where !["time", "level", "message"].contains(key) {
        fields.append(DiagnosticJSON.quote(key) + ":" + Self.json(value))
      }
      return "{" + fields.joined(separator: ",") + "}\n"
    case .text:
      var text = clock() + " " + level.rawValue + " " + Self.escaped(message)
      for (key, value) in pairs {
        text += " " + key + "=" + Self.textValue(value)
      }
      return text + "\n"
    }
  }

  private static func json(_ value: Logger.MetadataValue) -> String {
    switch value {
    case .string(let text): DiagnosticJSON.quote(text)
    case .stringConvertible(let item):
      // Counts and durations stay numbers, so a log query can compare them.
      item is Int || item is Int64 || item is Double || item is Bool
        ? item.description : DiagnosticJSON.quote(item.description)
    case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
    case .dictionary(let members):
      "{"
        + members.keys.sorted().compactMap { key in
          members[key].map { DiagnosticJSON.quote(key) + ":" + json($0) }
        }.joined(separator: ",") + "}"
    }
  }

  private static func textValue(_ value: Logger.MetadataValue) -> String {
    switch value {
    case .string(let text): quotedIfNeeded(text)
    case .stringConvertible(let item): quotedIfNeeded(item.description)
    case .array(let items): "[" + items.map(textValue).joined(separator: ",") + "]"
    case .dictionary(let members):
      "{"
        + members.keys.sorted().compactMap { key in
          members[key].map { key + "=" + textValue($0) }
        }.joined(separator: ",") + "}"
    }
  }

  /// Bare when the value has no space, quote, comma, bracket or control character;
  /// otherwise in double quotes with JSON's escapes.
  private static func quotedIfNeeded(_ text: String) -> String {
    let plain =
      !text.isEmpty
      && !text.unicodeScalars.contains {
        $0.value < 0x21 || $0 == "\"" || $0 == "=" || $0 == "," || $0 == "[" || $0 == "]"
          || $0 == "{" || $0 == "}" || $0.value == 0x7F
      }
    return plain ? text : DiagnosticJSON.quote(text)
  }

  /// A message stays on one line: newlines and other control characters are escaped.
  private static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      return text
    }
    let quoted = DiagnosticJSON.quote(text)
    return String(quoted.dropFirst().dropLast())
  }
}
