import Foundation
import Testing

/// Validates JSON files against a JSON Schema with python3's jsonschema (Draft 2020-12),
/// run from the package root, so paths may be relative to it.
enum SchemaCheck {
  /// The check, as a python3 script: `SCHEMA FILE...` prints one verdict line per file.
  ///
  /// The line is `valid FILE`, `invalid FILE: MESSAGE at PATH`, or `invalid FILE: not JSON:
  /// REASON` for a file that is not JSON or repeats a key in an object (Python's json
  /// module would keep the last one silently). Formats are checked, and `pattern` follows
  /// ECMA-262, where `$` means end of input: Python's `\Z`. Exits 3 when jsonschema is
  /// missing and 2 when the schema itself is not a valid 2020-12 schema.
  static let script = #"""
    import json, re, sys
    try:
        from jsonschema import Draft202012Validator, FormatChecker, validators
        from jsonschema.exceptions import SchemaError, ValidationError, best_match
    except ImportError as exc:
        print(f"python3 cannot import jsonschema: {exc}", file=sys.stderr)
        sys.exit(3)
    with open(sys.argv[1], encoding="utf-8") as fh:
        schema = json.load(fh)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        print(f"{sys.argv[1]} is not a valid 2020-12 schema: {exc.message}", file=sys.stderr)
        sys.exit(2)
    def ecma_pattern(validator, pattern, instance, schema):
        python_pattern = re.sub(r"(?<!\\)\$", r"\\Z", pattern)
        if validator.is_type(instance, "string") and not re.search(python_pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")
    Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern})
    validator = Validator(schema, format_checker=FormatChecker())
    def unique_keys(pairs):
        keys = [key for key, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"duplicate key {key!r}")
        return dict(pairs)
    for path in sys.argv[2:]:
        try:
            with open(path, encoding="utf-8") as fh:
                document = json.load(fh, object_pairs_hook=unique_keys)
        except ValueError as exc:
            print(f"invalid {path}: not JSON: {exc}")
            continue
        error = best_match(validator.iter_errors(document))
        if error is None:
            print(f"valid {path}")
        else:
            print(f"invalid {path}: {error.message} at {error.json_path}")
    """#

  /// The schema's verdict per file: `valid`, or why the file is invalid.
  ///
  /// Fails the calling test, rather than skipping it, when the check cannot run (python3
  /// or its jsonschema module is missing, the schema is broken) or does not give exactly
  /// one verdict per file.
  static func verdicts(
    schema: String,
    files: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: String] {
    let (status, stdout, stderr) = try run(["python3", "-c", script, schema] + files)
    let hint =
      switch status {
      case 3: "python3 lacks the jsonschema module; `make setup` installs it"
      case 127: "python3 is not on PATH; `make setup` installs it"
      default: "python3 exited \(status)"
      }
    try #require(
      status == 0,
      "the schema check against \(schema) could not run: \(hint)\n\(stderr)",
      sourceLocation: sourceLocation
    )
    let lines = stdout.split(separator: "\n").map(String.init)
    var verdicts: [String: String] = [:]
    for line in lines {
      if line.hasPrefix("valid "), files.contains(String(line.dropFirst("valid ".count))) {
        verdicts[String(line.dropFirst("valid ".count))] = "valid"
      } else if let file = files.first(where: { line.hasPrefix("invalid \($0): ") }) {
        verdicts[file] = String(line.dropFirst("invalid \(file): ".count))
      }
    }
    try #require(
      lines.count == files.count && verdicts.count == Set(files).count,
      "one verdict per file expected from the schema check against \(schema):\n\(stdout)",
      sourceLocation: sourceLocation
    )
    return verdicts
  }

  /// Runs `arguments` through /usr/bin/env in the package root.
  private static func run(
    _ arguments: [String]
  ) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = PackagePaths.root
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // One line per file on stdout; stderr is read after, as it stays far below a pipe's
    // buffer.
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus,
      String(decoding: stdout, as: UTF8.self),
      String(decoding: stderr, as: UTF8.self)
    )
  }
}
