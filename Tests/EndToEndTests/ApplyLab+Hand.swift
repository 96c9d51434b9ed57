import Foundation
import Testing

/// What an operator does to the lab's machines by hand, outside mktopo: MicroK8s
/// commands run on one host through the simulator.
extension ApplyLab {
  /// `microk8s ARGUMENTS` on the host named `name`; a failure is a test issue.
  @discardableResult
  func microk8s(
    _ name: String,
    _ arguments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) async -> CommandRunner.Output {
    await sim(["--host", Self.address(name)] + arguments, sourceLocation: sourceLocation)
  }

  /// Joins `joiners` (name, as a worker or not) to the cluster of `contact` by hand, the
  /// way the MicroK8s docs do: add-node on the contact, join on the node, one at a time.
  func joinByHand(
    _ joiners: [(name: String, worker: Bool)],
    to contact: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async {
    for (index, joiner) in joiners.enumerated() {
      // A token of the test's own, used once: never one mktopo minted or printed.
      let token = String(repeating: String(index + 1), count: 32)
      let minted = await microk8s(
        contact,
        ["add-node", "--token", token, "--format", "token-check"],
        sourceLocation: sourceLocation
      )
      let check = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      let url = "\(Self.address(contact)):25000/\(check)"
      await microk8s(
        joiner.name,
        ["join", url] + (joiner.worker ? ["--worker"] : []),
        sourceLocation: sourceLocation
      )
    }
  }
}
