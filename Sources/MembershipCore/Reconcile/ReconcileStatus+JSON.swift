/// The status file's JSON: every field under its Swift name, unknowns as null.
///
/// The file is read back by the next `--once` run to carry the counters on, so decoding
/// is strict about kinds (a string where a count belongs means the file is not ours) but
/// lenient about absence: a field a later mktopo drops, or an older one never wrote, takes
/// the value a fresh status has.
extension ReconcileStatus {
  /// The status as the state directory keeps it, `formatVersion` first.
  ///
  /// Durations stay in whole milliseconds because `JSONValue` has only integers.
  public func json() -> JSONValue {
    .object([
      ("formatVersion", .integer(Self.formatVersion)),
      ("source", .string(source)),
      ("cluster", nullable(cluster)),
      ("lastAttemptedRevision", nullable(lastAttemptedRevision)),
      ("lastAppliedRevision", nullable(lastAppliedRevision)),
      ("lastAppliedAt", nullable(lastAppliedAt)),
      ("lastPass", lastPass?.json() ?? .null),
      ("nextPassAt", nullable(nextPassAt)),
      ("suspended", .boolean(suspended)),
      ("passes", .integer(passes)),
      ("failures", .integer(failures)),
      ("changesApplied", .integer(changesApplied)),
      ("lastSuccessEpoch", lastSuccessEpoch.map { .integer(Int($0)) } ?? .null),
      ("lastDrift", lastDrift.map { .integer($0) } ?? .null),
    ])
  }

  /// The status `json()` wrote; nil for text that is not JSON, not an object, of another
  /// `formatVersion`, without a `source`, or with a field of the wrong kind.
  ///
  /// A `lastPass` that cannot be read (an outcome a newer mktopo added, say) is dropped
  /// rather than failing the whole file: the counters matter more than one report.
  public static func decode(_ text: String) -> ReconcileStatus? {
    guard let record = try? JSONParser.parse(text), record.members != nil,
      case .number(let version) = record["formatVersion"]?.kind,
      Int(version) == formatVersion,
      let source = record["source"]?.string
    else { return nil }
    var status = ReconcileStatus(source: source)
    do {
      let fields = StatusFields(record)
      status.cluster = try fields.optionalString("cluster")
      status.lastAttemptedRevision = try fields.optionalString("lastAttemptedRevision")
      status.lastAppliedRevision = try fields.optionalString("lastAppliedRevision")
      status.lastAppliedAt = try fields.optionalString("lastAppliedAt")
      status.nextPassAt = try fields.optionalString("nextPassAt")
      status.suspended = try fields.bool("suspended") ?? false
      status.passes = try fields.integer("passes") ?? 0
      status.failures = try fields.integer("failures") ?? 0
      status.changesApplied = try fields.integer("changesApplied") ?? 0
      status.lastSuccessEpoch = try fields.integer("lastSuccessEpoch").map(Int64.init)
      status.lastDrift = try fields.integer("lastDrift")
    } catch {
      return nil
    }
    status.lastPass = record["lastPass"].flatMap(PassReport.init(record:))
    return status
  }
}

extension PassReport {
  /// The report as the status file and the log line write it.
  public func json() -> JSONValue {
    .object([
      ("startedAt", .string(startedAt)),
      ("startedAtEpoch", .integer(Int(startedAtEpoch))),
      ("durationMilliseconds", .integer(Int(durationMilliseconds))),
      ("revision", nullable(revision)),
      ("subject", nullable(subject)),
      ("outcome", .string(outcome.rawValue)),
      ("dryRun", .boolean(dryRun)),
      ("applied", .array(applied.map { .string($0) })),
      ("drift", drift.map { .integer($0) } ?? .null),
      ("planned", .array(planned.map { .string($0) })),
      ("message", nullable(message)),
    ])
  }

  /// The report `json()` wrote; nil when the start or the outcome is missing or unknown,
  /// or a field has the wrong kind.
  fileprivate init?(record: ParsedJSON) {
    guard record.members != nil,
      let startedAt = record["startedAt"]?.string,
      let outcome = record["outcome"]?.string.flatMap(PassOutcome.init(rawValue:))
    else { return nil }
    let fields = StatusFields(record)
    let values: PassReport
    do {
      guard let startedAtEpoch = try fields.integer("startedAtEpoch") else { return nil }
      let duration = try fields.integer("durationMilliseconds") ?? 0
      let revision = try fields.optionalString("revision")
      let subject = try fields.optionalString("subject")
      let dryRun = try fields.bool("dryRun") ?? false
      let applied = try fields.strings("applied") ?? []
      let drift = try fields.integer("drift")
      let planned = try fields.strings("planned") ?? []
      let message = try fields.optionalString("message")
      values = PassReport(
        startedAt: startedAt,
        startedAtEpoch: Int64(startedAtEpoch),
        durationMilliseconds: Int64(duration),
        revision: revision,
        subject: subject,
        outcome: outcome,
        dryRun: dryRun,
        applied: applied,
        drift: drift,
        planned: planned,
        message: message
      )
    } catch {
      return nil
    }
    self = values
  }
}

/// A field that is present but not of the kind its name calls for.
private struct WrongKind: Error {}

/// Reads an object's fields by name: absent or null gives nil, another kind throws.
private struct StatusFields {
  let record: ParsedJSON

  init(_ record: ParsedJSON) {
    self.record = record
  }

  /// The value under `key`, nil when it is absent or null.
  private func value(_ key: String) -> ParsedJSON.Kind? {
    guard let value = record[key] else { return nil }
    if case .null = value.kind { return nil }
    return value.kind
  }

  func optionalString(_ key: String) throws(WrongKind) -> String? {
    guard let kind = value(key) else { return nil }
    guard case .string(let text) = kind else { throw WrongKind() }
    return text
  }

  func bool(_ key: String) throws(WrongKind) -> Bool? {
    guard let kind = value(key) else { return nil }
    guard case .bool(let flag) = kind else { throw WrongKind() }
    return flag
  }

  /// The largest count or epoch read back: JSON's largest exact integer.
  ///
  /// The counters are added to after reading, so one near `Int.max` (a hand-edited
  /// file) would trap.
  static let largestInteger = (1 << 53) - 1

  /// A whole number from 0 to `largestInteger`; `1.0` and `1e3` are not whole numbers here.
  func integer(_ key: String) throws(WrongKind) -> Int? {
    guard let kind = value(key) else { return nil }
    guard case .number(let digits) = kind, let number = Int(digits),
      (0...Self.largestInteger).contains(number)
    else { throw WrongKind() }
    return number
  }

  func strings(_ key: String) throws(WrongKind) -> [String]? {
    guard let kind = value(key) else { return nil }
    guard case .array(let elements) = kind else { throw WrongKind() }
    var texts: [String] = []
    for element in elements {
      guard let text = element.string else { throw WrongKind() }
      texts.append(text)
    }
    return texts
  }
}

/// A string, or null when there is none.
private func nullable(_ text: String?) -> JSONValue {
  text.map { .string($0) } ?? .null
}
