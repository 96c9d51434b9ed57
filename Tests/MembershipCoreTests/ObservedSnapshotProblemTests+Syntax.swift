import MembershipCore
import Testing

/// Snapshots that are not valid JSON.
extension ObservedSnapshotProblemTests {
  static let syntax: [SnapshotCase] = [
    SnapshotCase(rule: "empty file", json: "①", phrase: "the file is empty"),
    SnapshotCase(rule: "whitespace only", json: "①  \n ", phrase: "the file is empty"),
    SnapshotCase(
      rule: "trailing comma in an array",
      json: document(nodes: node1 + "①, "),
      phrase: "invalid JSON: a trailing comma before ']' is not allowed"
    ),
    SnapshotCase(
      rule: "trailing comma in an object",
      json: "{\"formatVersion\": 1①,\n}",
      phrase: "a trailing comma before '}' is not allowed"
    ),
    SnapshotCase(
      rule: "single-quoted string",
      json: document(contact: "①'node1'"),
      phrase: "JSON strings are written in double quotes, found '''"
    ),
    SnapshotCase(
      rule: "leading zero",
      json: document(version: "①01"),
      phrase: "numbers must not have leading zeros"
    ),
    SnapshotCase(
      rule: "string not closed on its line",
      json: document(contact: "①\"node1,"),
      phrase: "this string is not closed before the line ends"
    ),
    SnapshotCase(
      rule: "string not closed at the end of the file",
      json: "{\"contact\": ①\"node1",
      phrase: "this string is never closed"
    ),
    SnapshotCase(
      rule: "unknown escape",
      json: document(contact: "\"no①\\qde1\""),
      phrase: "invalid escape '\\q'"
    ),
    SnapshotCase(
      rule: "short \\u escape",
      json: document(contact: "\"no①\\u12\""),
      phrase: "a \\u escape needs four hex digits"
    ),
    SnapshotCase(
      rule: "lone high surrogate",
      json: document(contact: "\"no①\\ud800de1\""),
      phrase: "a high surrogate escape has no low surrogate"
    ),
    SnapshotCase(
      rule: "lone low surrogate",
      json: document(contact: "\"no①\\udc00de1\""),
      phrase: "a low surrogate escape has no high surrogate"
    ),
    SnapshotCase(
      rule: "raw tab in a string",
      json: document(contact: "\"no①\tde1\""),
      phrase: "a control character must be escaped in a string, found 'U+0009'"
    ),
    SnapshotCase(
      rule: "missing colon",
      json: "{\"formatVersion\" ①1}",
      phrase: "expected ':' after a key, found '1'"
    ),
    SnapshotCase(
      rule: "missing comma",
      json: "{\"formatVersion\": 1 ①\"contact\": null}",
      phrase: "expected ',' or '}' after an object member, found '\"'"
    ),
    SnapshotCase(
      rule: "unquoted key",
      json: "{①formatVersion: 1}",
      phrase: "expected a key in double quotes, found 'f'"
    ),
    SnapshotCase(
      rule: "capitalised literal",
      json: document(contact: "①Null"),
      phrase: "expected a value (object, array, string, number, true, false or null), found 'N'"
    ),
    SnapshotCase(
      rule: "truncated literal",
      json: document(contact: "①nul"),
      phrase: "expected a value"
    ),
    SnapshotCase(
      rule: "value missing at the end of the file",
      json: "{\"contact\": ①",
      phrase: "expected a value, found the end of the file"
    ),
    SnapshotCase(
      rule: "number without digits after the point",
      json: document(version: "1.①x"),
      phrase: "expected a digit after '.', found 'x'"
    ),
    SnapshotCase(
      rule: "content after the top-level value",
      json: "{}\n①{}",
      phrase: "expected the end of the file after the top-level value, found '{'"
    ),
    SnapshotCase(
      rule: "nesting too deep",
      json: String(repeating: "[", count: 64) + "①" + String(repeating: "[", count: 100_000),
      phrase: "values are nested more than 64 levels deep"
    ),
  ]
}
