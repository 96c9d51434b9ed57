import Testing

@testable import MembershipCore

/// Which budgets stand behind refused evictions, from `get pdb -A` and `get pods` JSON.
@Suite("kubectl drain: the budgets behind a refusal")
struct BlockingBudgetTests {
  static let pods = CommandOutput(
    exitStatus: 0,
    stdout: """
      {"apiVersion": "v1", "kind": "List", "items": [
        {"metadata": {"namespace": "shop", "name": "web-0", "labels": {"app": "web", "tier": "front"}}},
        {"metadata": {"namespace": "shop", "name": "db-0", "labels": {"app": "db"}}},
        {"metadata": {"namespace": "other", "name": "web-9", "labels": {"app": "web"}}}
      ]}
      """
  )

  static func budget(
    _ namespace: String,
    _ name: String,
    _ selector: String,
    _ healthy: Int
  )
    -> String
  {
    """
    {"metadata": {"namespace": "\(namespace)", "name": "\(name)"},
     "spec": {"minAvailable": 2, "selector": {"matchLabels": {\(selector)}}},
     "status": {"currentHealthy": \(healthy), "desiredHealthy": 2, "disruptionsAllowed": 0}}
    """
  }

  @Test("selected by namespace and labels; an empty selector takes them all")
  func selected() throws {
    let budgets = CommandOutput(
      exitStatus: 0,
      stdout: "{\"kind\": \"List\", \"items\": ["
        + [
          Self.budget("shop", "web", "\"app\": \"web\"", 2),
          Self.budget("shop", "front", "\"app\": \"web\", \"tier\": \"front\"", 2),
          Self.budget("shop", "db", "\"app\": \"db\"", 1),
          Self.budget("other", "web", "\"app\": \"web\"", 2),
          Self.budget("shop", "everything", "", 3),
        ].joined(separator: ",") + "]}"
    )
    let found = try MicroK8sOutput.blockingBudgets(
      of: ["shop/web-0"],
      budgets: budgets,
      pods: Self.pods
    )
    #expect(
      found == [
        "shop/web (minAvailable 2: 2 healthy, 0 disruptions allowed)",
        "shop/front (minAvailable 2: 2 healthy, 0 disruptions allowed)",
        "shop/everything (minAvailable 2: 3 healthy, 0 disruptions allowed)",
      ]
    )
  }

  @Test("unreadable listings are failures, not silence")
  func unreadable() {
    let garbage = CommandOutput(exitStatus: 0, stdout: "{\"items\": [")
    do {
      _ = try MicroK8sOutput.blockingBudgets(of: ["shop/web-0"], budgets: garbage, pods: Self.pods)
      Issue.record("garbage was read")
    } catch {
      guard case .malformed = error else {
        Issue.record("expected malformed, got \(error)")
        return
      }
    }
  }
}
