/// The metrics server's answer to one HTTP/1.x request head, as the bytes to send.
///
/// The server closes every connection after one answer, so nothing past the head (a
/// body, a second pipelined request) is ever read, and every answer says
/// `Connection: close`.
struct ScrapeResponse {
  /// The content type Prometheus expects for text exposition format 0.0.4.
  static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"
  static let textContentType = "text/plain; charset=utf-8"

  var status: Int
  var reason: String
  var headers: [(String, String)]
  var body: String
  /// HEAD: the headers describe the body, which is not sent.
  var omitsBody = false

  /// The status line, the headers (Content-Length and Connection added) and the body.
  var bytes: [UInt8] {
    var head = "HTTP/1.1 \(status) \(reason)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
    return Array(head.utf8) + (omitsBody ? [] : Array(body.utf8))
  }

  /// The answer to a complete request head (up to its blank line), calling `content` only
  /// for a scrape.
  static func answering(_ head: ArraySlice<UInt8>, content: () -> String) -> ScrapeResponse {
    guard let request = RequestHead(head) else {
      return failure(400, "Bad Request", "the request is not HTTP/1.x")
    }
    let path = request.path
    guard path == "/metrics" || path == "/" else {
      return failure(404, "Not Found", "not found; the metrics are at /metrics")
    }
    guard request.method == "GET" || request.method == "HEAD" else {
      var response = failure(405, "Method Not Allowed", "only GET and HEAD are served")
      response.headers.append(("Allow", "GET, HEAD"))
      return response
    }
    let isScrape = path == "/metrics"
    return ScrapeResponse(
      status: 200,
      reason: "OK",
      headers: [("Content-Type", isScrape ? metricsContentType : textContentType)],
      body: isScrape ? content() : "mktopo reconcile: the Prometheus metrics are at /metrics\n",
      omitsBody: request.method == "HEAD"
    )
  }

  /// A short plain-text error.
  static func failure(_ status: Int, _ reason: String, _ text: String) -> ScrapeResponse {
    ScrapeResponse(
      status: status,
      reason: reason,
      headers: [("Content-Type", textContentType)],
      body: text + "\n"
    )
  }

  /// Where the request head ends: the index just past its blank line (CRLF CRLF, or a
  /// bare LF LF from a lax client); nil while it has not arrived.
  static func headEnd(in bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
      if bytes[index] == 0x0A {
        if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return index + 2 }
        if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
          return index + 3
        }
      }
      index += 1
    }
    return nil
  }
}

/// The parts of a request head the server looks at, checked for HTTP/1.x syntax.
private struct RequestHead {
  var method: String
  /// The target's path, without the query; an absolute-form target is cut to its path.
  var path: String

  init?(_ bytes: ArraySlice<UInt8>) {
    guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
    // CR LF is one Character in Swift, so it is a separator of its own.
    var lines = text.split(omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\n" }
    // The head ends in a blank line; what is left are the request line and the fields.
    while lines.last?.isEmpty == true { lines.removeLast() }
    guard let requestLine = lines.first else { return nil }
    let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].utf8.allSatisfy(Self.isTokenByte),
      Self.isVersion(parts[2]), let path = Self.path(of: parts[1])
    else { return nil }
    for field in lines.dropFirst() where !Self.isField(field) { return nil }
    self.method = String(parts[0])
    self.path = path
  }

  private static func isVersion(_ text: Substring) -> Bool {
    text.utf8.count == 8 && text.hasPrefix("HTTP/1.") && text.last?.isASCII == true
      && text.last?.isNumber == true
  }

  /// `/path?query` gives `/path`; `http://host:port/path` gives `/path` (RFC 9112 asks
  /// servers to accept the absolute form too); anything else is not a target.
  private static func path(of target: Substring) -> String? {
    var rest = target
    for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
      rest = rest.dropFirst(scheme.count)
      rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
    }
    guard rest.hasPrefix("/"), rest.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
      return nil
    }
    return String(rest.prefix { $0 != "?" && $0 != "#" })
  }

  /// `Name: value`, the name a token; a line folded onto the previous one is refused,
  /// as RFC 9112 allows.
  private static func isField(_ line: Substring) -> Bool {
    guard let colon = line.firstIndex(of: ":") else { return false }
    let name = line[..<colon]
    return !name.isEmpty && name.utf8.allSatisfy(isTokenByte)
  }

  /// RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
  }
}
