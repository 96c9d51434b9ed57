import MembershipCore
import MembershipRuntime
import Testing

@Suite("Execution errors")
struct ExecutionErrorTests {
  @Test("a join that succeeded but never showed up points at the behaviour page, not the notes")
  func notObservedCitesTheBehaviourPage() {
    let step = Step(.join, on: "node2", arguments: [Step.tokenPlaceholder])
    let change = Change(
      action: .join,
      node: "node2",
      address: nil,
      role: .mixed,
      steps: [Step(.addNode, on: "node1"), step],
      votersAfter: [],
      reason: "listed in the topology"
    )
    let error = ExecutionError(
      change: change,
      stepIndex: 2,
      step: step,
      cause: .notObserved(condition: "node2 Ready", after: .seconds(5), lastProblem: nil)
    )
    let text = error.description
    #expect(text.contains("the command succeeded, but after 5s the cluster still does not show"))
    #expect(
      text.contains(
        "(see docs/microk8s-behaviour.md, \"A join can exit 0 without joining\")"
      ),
      "\(text)"
    )
    #expect(!text.contains("contract"), "\(text)")
  }
}
