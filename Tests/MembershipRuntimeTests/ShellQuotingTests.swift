import Testing

@testable import MembershipRuntime

@Suite("ShellQuoting")
struct ShellQuotingTests {
  @Test(
    "quotes every argument in single quotes",
    arguments: [
      ("plain", "'plain'"),
      ("", "''"),
      ("it's", #"'it'\''s'"#),
      ("'", #"''\'''"#),
      ("$HOME `id` \"x\" \\", #"'$HOME `id` "x" \'"#),
    ]
  )
  func quote(argument: String, quoted: String) {
    #expect(ShellQuoting.quote(argument) == quoted)
  }

  @Test("joins quoted arguments with single spaces")
  func commandLine() {
    #expect(ShellQuoting.commandLine(["sudo", "-n", "a b"]) == "'sudo' '-n' 'a b'")
  }

  /// Random argv over every character a shell treats specially.
  static func randomArgv(seed: UInt64) -> [String] {
    var random = SplitMix64(seed: seed)
    let alphabet: [String] = [
      "a", "Z", "0", " ", "  ", "\t", "\n", "'", "''", "\"", "\\", "$", "$(id)", "${x}", "`", "!",
      ";", "&", "&&", "|", "||", "<", ">", ">>", "(", ")", "{", "}", "[", "]", "*", "?", "~", "#",
      "=", "%", "-", "--", "é", "日本", "🙂", "\r",
    ]
    return (0..<Int.random(in: 1...8, using: &random)).map { _ in
      (0..<Int.random(in: 0...12, using: &random))
        .map { _ in alphabet.randomElement(using: &random) ?? "" }
        .joined()
    }
  }

  @Test("a local POSIX shell splits the quoted line back into exactly the argv", arguments: 0..<100)
  func roundTripThroughShell(seed: UInt64) async throws {
    let argv = Self.randomArgv(seed: seed)
    let line = ShellQuoting.commandLine(["printf", "%s\\0"] + argv)
    let result = try await LocalTransport(host: "local").run(
      Invocation(["sh", "-c", line], timeout: .seconds(60))
    )
    #expect(result.succeeded)
    #expect(Self.split(result.standardOutput) == argv, "seed \(seed)")
  }

  /// `printf '%s\0'` output back into its arguments.
  static func split(_ output: String) -> [String] {
    var parts = output.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}
