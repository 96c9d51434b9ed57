import MembershipCore
import Testing

@Suite("Rendering plans")
struct PlanRendererTests {
  private static func ip(_ text: String) -> NodeAddress { NodeAddress.parse(text) ?? .ipv4(0) }

  /// The guide's third node joining, a worker leaving, and a blocked join.
  static let plan = Plan(
    cluster: "homelab",
    observedFingerprint: "3f2a",
    changes: [
      Change(
        action: .join,
        node: "node3",
        address: ip("192.168.1.12"),
        role: .mixed,
        steps: [
          Step(
            .addNode,
            on: "node1",
            arguments: [
              "--token", Step.tokenPlaceholder, "--token-ttl", "600", "--format", "token-check",
            ]
          ),
          Step(.join, on: "node3", arguments: ["192.168.1.10:25000/" + Step.tokenPlaceholder]),
        ],
        votersAfter: [ip("192.168.1.10"), ip("192.168.1.11"), ip("192.168.1.12")],
        reason: "listed in the topology, standalone on track 1.28"
      ),
      Change(
        action: .remove,
        node: "worker2",
        address: ip("192.168.1.21"),
        role: nil,
        steps: [
          Step(.leave, on: "worker2"), Step(.removeNode, on: "node1", arguments: ["worker2"]),
        ],
        votersAfter: [ip("192.168.1.10"), ip("192.168.1.11"), ip("192.168.1.12")],
        reason: "state: absent"
      ),
    ],
    blocked: [
      BlockedChange(
        action: .join,
        node: "node4",
        reason:
          "node4 runs MicroK8s 1.29; the cluster runs 1.28: sudo snap refresh microk8s --channel=1.28/stable"
      )
    ],
    warnings: [
      "datastore member 192.168.1.99:19001 matches no node (set cleanupGhosts: true to remove it)"
    ]
  )

  @Test("text: one block per change with hosts and voters, blocked entries, the summary")
  func text() {
    #expect(
      PlanRenderer.text(Self.plan) == """
        mktopo will make these changes to cluster homelab, in this order,
        one at a time, observing the cluster again after each:

          + join node3 (192.168.1.12) as mixed
              # listed in the topology, standalone on track 1.28
              1. on node1: microk8s add-node --token <token> --token-ttl 600 --format token-check
              2. on node3: microk8s join 192.168.1.10:25000/<token>
              datastore voters after: 192.168.1.10, 192.168.1.11, 192.168.1.12

          - remove worker2 (192.168.1.21)
              # state: absent
              1. on worker2: microk8s leave
              2. on node1: microk8s remove-node worker2
              datastore voters after: 192.168.1.10, 192.168.1.11, 192.168.1.12

          ! join node4: blocked
              node4 runs MicroK8s 1.29; the cluster runs 1.28: sudo snap refresh microk8s --channel=1.28/stable

        Warnings:
          - datastore member 192.168.1.99:19001 matches no node (set cleanupGhosts: true to remove it)

        Plan: 1 to join, 1 to remove, 0 to change, 1 blocked.

        """
    )
  }

  @Test("an empty plan says so")
  func empty() {
    #expect(
      PlanRenderer.text(Plan(cluster: "homelab", observedFingerprint: "x"))
        == "No changes. Cluster membership matches the topology.\n"
    )
  }

  @Test("JSON: the documented fields, tokens only as placeholders")
  func json() {
    let json = PlanRenderer.json(Self.plan)
    #expect(
      json.hasPrefix(
        "{\n  \"formatVersion\": 1,\n  \"cluster\": \"homelab\",\n  \"observedFingerprint\": \"3f2a\",\n"
      )
    )
    #expect(json.contains("\"action\": \"join\""))
    #expect(json.contains("\"votersAfter\": [\n        \"192.168.1.10\""))
    #expect(json.contains("\"args\": [\n            \"192.168.1.10:25000/<token>\"\n          ]"))
    #expect(json.contains("\"role\": null"))
    #expect(
      json.contains("\"blocked\": [\n    {\n      \"action\": \"join\",\n      \"node\": \"node4\"")
    )
    #expect(json == PlanRenderer.json(Self.plan), "rendering is deterministic")
  }
}
