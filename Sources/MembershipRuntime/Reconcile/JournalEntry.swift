import Glibc
import MembershipCore

/// The change and step in flight, as the journal records it.
///
/// Everything is plain text or a count, so a person can read the file after a crash;
/// nothing in it is needed to act (the next run observes the cluster again), so no
/// secret, above all no join token, ever belongs in it.
public struct JournalEntry: Sendable, Equatable {
  public var cluster: String
  /// The change's kind: "join" or "remove".
  public var action: String
  /// The node the change is about.
  public var node: String
  /// The step in flight, counted from 1, and how many steps the change has.
  public var stepIndex: Int
  public var stepCount: Int
  /// The step's MicroK8s verb ("add-node", "join", "leave", "remove-node") or a wait.
  public var verb: String
  /// The node the step runs on.
  public var host: String
  /// When the step started, RFC 3339 UTC (`UTCTimestamp.now()`).
  public var startedAt: String
  /// The mktopo process running the step.
  public var pid: Int32

  public init(
    cluster: String,
    action: String,
    node: String,
    stepIndex: Int,
    stepCount: Int,
    verb: String,
    host: String,
    startedAt: String,
    pid: Int32 = getpid()
  ) {
    self.cluster = cluster
    self.action = action
    self.node = node
    self.stepIndex = stepIndex
    self.stepCount = stepCount
    self.verb = verb
    self.host = host
    self.startedAt = startedAt
    self.pid = pid
  }

  /// The text fields by name, for the token check.
  var textFields: [(name: String, value: String)] {
    [
      ("cluster", cluster), ("action", action), ("node", node), ("verb", verb),
      ("host", host), ("startedAt", startedAt),
    ]
  }

  /// The file layout; `read` ignores files of any other version.
  static let formatVersion = 1

  var json: JSONValue {
    .object([
      ("formatVersion", .integer(Self.formatVersion)),
      ("cluster", .string(cluster)),
      ("action", .string(action)),
      ("node", .string(node)),
      ("stepIndex", .integer(stepIndex)),
      ("stepCount", .integer(stepCount)),
      ("verb", .string(verb)),
      ("host", .string(host)),
      ("startedAt", .string(startedAt)),
      ("pid", .integer(Int(pid))),
    ])
  }

  /// The entry `json` wrote; nil for anything else.
  init?(json text: String) {
    guard let record = try? JSONParser.parse(text),
      Self.integer(record["formatVersion"]) == Self.formatVersion,
      let cluster = record["cluster"]?.string,
      let action = record["action"]?.string,
      let node = record["node"]?.string,
      let stepIndex = Self.integer(record["stepIndex"]),
      let stepCount = Self.integer(record["stepCount"]),
      let verb = record["verb"]?.string,
      let host = record["host"]?.string,
      let startedAt = record["startedAt"]?.string,
      let pid = Self.integer(record["pid"]).flatMap(Int32.init(exactly:))
    else { return nil }
    self.init(
      cluster: cluster,
      action: action,
      node: node,
      stepIndex: stepIndex,
      stepCount: stepCount,
      verb: verb,
      host: host,
      startedAt: startedAt,
      pid: pid
    )
  }

  private static func integer(_ value: ParsedJSON?) -> Int? {
    guard case .number(let digits) = value?.kind else { return nil }
    return Int(digits)
  }
}
