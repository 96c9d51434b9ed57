import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("The cluster's identity record")
struct IdentityRecordTests {
  let uid = "0b8e4b6c-3f5e-4c1a-9d2e-7a6b5c4d3e2f"

  @Test("nothing, then a record read back; adopt records only when nothing is recorded")
  func recordAndAdopt() async throws {
    try await withScratchDirectory { scratch in
      let record = IdentityRecord(stateDirectory: scratch + "/state", cluster: "homelab")
      #expect(record.path == scratch + "/state/homelab.identity.json")
      #expect(record.read() == .none)
      let observed = ObservedCluster(contact: "node1", identity: uid)
      #expect(record.adopt(observed) == nil)
      guard case .recorded(let identity, let at) = record.read() else {
        Issue.record("not recorded: \(record.read())")
        return
      }
      #expect(identity == uid)
      #expect(at.hasSuffix("Z"))
      let text = readFile(record.path) ?? ""
      #expect(text.contains("\"cluster\": \"homelab\""), "\(text)")
      #expect(text.contains("\"readThrough\": \"node1\""), "\(text)")
      // Another cluster is never adopted over a record: only a deliberate record does.
      let other = ObservedCluster(
        contact: "node2",
        identity: "11111111-2222-3333-4444-555555555555"
      )
      #expect(record.adopt(other) == nil)
      #expect(record.read() == .recorded(identity: uid, recordedAt: at))
      try record.record("11111111-2222-3333-4444-555555555555", through: "node2")
      guard case .recorded(let replaced, _) = record.read() else { return }
      #expect(replaced == "11111111-2222-3333-4444-555555555555")
    }
  }

  @Test(
    "a damaged record is reported, never taken for none",
    arguments: [
      "", "{", #"{"formatVersion": 2, "identity": "0b8e4b6c-3f5e-4c1a-9d2e-7a6b5c4d3e2f"}"#,
      #"{"formatVersion": 1, "identity": "not-a-uid"}"#, #"{"formatVersion": 1}"#,
    ]
  )
  func damaged(_ text: String) async throws {
    try await withScratchDirectory { scratch in
      let record = IdentityRecord(stateDirectory: scratch, cluster: "homelab")
      let descriptor = open(record.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      _ = text.withCString { write(descriptor, $0, strlen($0)) }
      close(descriptor)
      guard case .damaged = record.read() else {
        Issue.record("\(text.debugDescription) read as \(record.read())")
        return
      }
      // Nor is it replaced by an adoption.
      #expect(record.adopt(ObservedCluster(contact: "node1", identity: uid)) == nil)
      #expect(readFile(record.path) == text)
    }
  }
}
