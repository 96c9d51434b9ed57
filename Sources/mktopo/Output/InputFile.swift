import MembershipCore
import MembershipRuntime

/// Reads the files a command takes and prints their diagnostics, compiler style.
///
/// One place for what `validate` and `plan` share: `-` is standard input, problems go
/// to standard error with the source line and a caret, colour only on a TTY.
struct InputFile {
  var path: String
  var name: String { path == "-" ? SourceFile.standardInputName : path }

  /// The bytes, or nil after reporting why they could not be read.
  func read(limit: Int, into diagnostics: inout [Diagnostic]) -> [UInt8]? {
    do {
      return try SourceFile.read(path, limit: limit)
    } catch {
      diagnostics.append(.error(error.description, file: name))
      return nil
    }
  }

  /// Prints diagnostics to standard error with source excerpts from `sources`.
  static func report(_ diagnostics: [Diagnostic], sources: [String: [UInt8]]) {
    guard !diagnostics.isEmpty else { return }
    let renderer = DiagnosticRenderer(colored: Terminal.wantsColor(.standardError))
    Terminal.write(renderer.render(diagnostics, sources: sources), to: .standardError)
  }
}
