import ArgumentParser
import Glibc
import MembershipCore
import MembershipRuntime

/// A saved plan given to `apply`, and the topology it carries out.
struct SavedPlanFile {
  var path: String
  var plan: SavedPlan

  /// Whether the file at `path` is JSON, as a saved plan is (a topology is YAML).
  ///
  /// Its first byte other than white space is `{`. Standard input is never taken for one.
  static func looksLikePlan(_ path: String) -> Bool {
    guard path != "-", let handle = fopen(path, "rb") else { return false }
    defer { fclose(handle) }
    var byte = fgetc(handle)
    while byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { byte = fgetc(handle) }
    return byte == 0x7B
  }

  /// Reads `path`, or exits 1 after saying why it is not a saved plan.
  static func read(_ path: String) throws -> SavedPlanFile {
    var diagnostics: [Diagnostic] = []
    let input = InputFile(path: path)
    guard let bytes = input.read(limit: 64 * 1024 * 1024, into: &diagnostics) else {
      InputFile.report(diagnostics, sources: [:])
      throw ExitCode(1)
    }
    switch SavedPlan.read(String(decoding: bytes, as: UTF8.self)) {
    case .success(let plan):
      return SavedPlanFile(path: input.name, plan: plan)
    case .failure(let error):
      InputFile.report([.error(error.description, file: input.name)], sources: [:])
      throw ExitCode(1)
    }
  }

  /// The topology to carry the plan out with: the plan's own copy, or the file given
  /// with `-f` when it is that same file, byte for byte.
  func topology(given options: ClusterOptions) throws -> Topology {
    let saved = plan.topology
    guard saved.isIntact else {
      return try refuse(
        "the topology in \(path) does not match its digest: the plan file was edited"
      )
    }
    if options.file != nil {
      let (topology, source) = try options.loadTopologySource()
      guard source.digest == saved.digest else {
        return try refuse(
          "\(source.path) is not the topology the plan in \(path) was made from (its digest "
            + "is \(source.digest.prefix(19)), the plan's \(saved.digest.prefix(19))): the file "
            + "changed since, or is another. Apply \(path) without -f to carry out the plan's "
            + "own copy of \(saved.path), or make a new plan"
        )
      }
      return topology
    }
    let name = "\(path) (topology \(saved.path))"
    let bytes = Array(saved.content.utf8)
    let load = TopologyLoader.load(bytes, file: name)
    InputFile.report(load.diagnostics, sources: [name: bytes])
    guard let topology = load.topology else { throw ExitCode(1) }
    return topology
  }

  private func refuse(_ reason: String) throws -> Topology {
    Terminal.write("error: \(reason); nothing was changed.\n", to: .standardError)
    throw ExitCode(1)
  }
}
