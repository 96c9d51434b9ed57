import Glibc
import MembershipCore
import Testing

@testable import MembershipRuntime

@Suite("Journal")
struct JournalTests {
  let entry = JournalEntry(
    cluster: "homelab",
    action: "join",
    node: "n3",
    stepIndex: 2,
    stepCount: 3,
    verb: "join",
    host: "n3",
    startedAt: "2026-11-25T08:41:07Z",
    pid: 4242
  )

  @Test("an entry recorded is read back unchanged, as JSON a person can read")
  func roundTrip() async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch + "/state", cluster: "homelab")
      try journal.record(entry)
      #expect(journal.path == scratch + "/state/homelab.journal.json")
      #expect(journal.read() == entry)
      let text = try #require(readFile(journal.path))
      #expect(text.hasPrefix("{\n  \"formatVersion\": 1,\n  \"cluster\": \"homelab\",\n"))
      #expect(text.contains("\"stepIndex\": 2,") && text.contains("\"pid\": 4242\n"))

      var next = entry
      next.stepIndex = 3
      next.verb = "wait-ready"
      next.pid = getpid()
      try journal.record(next)
      #expect(journal.read() == next)
    }
  }

  @Test("clear removes the entry; clearing twice is fine; an absent journal reads as nil")
  func clearAndAbsent() async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch, cluster: "homelab")
      #expect(journal.read() == nil)
      try journal.clear()
      try journal.record(entry)
      try journal.clear()
      #expect(journal.read() == nil)
      #expect(try directoryEntries(scratch).isEmpty)
      try journal.clear()
      #expect(Journal(stateDirectory: scratch + "/missing", cluster: "homelab").read() == nil)
    }
  }

  @Test(
    "a damaged or foreign journal reads as nil",
    arguments: [
      "", "{", "not json", "[]", "{\"formatVersion\": 1}",
      "{\"formatVersion\": 2, \"cluster\": \"homelab\"}",
      String(repeating: " ", count: 70_000) + "{}",
    ]
  )
  func garbled(contents: String) async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch, cluster: "homelab")
      try OutputFile.write(contents, to: journal.path)
      #expect(journal.read() == nil)
    }
  }

  @Test("a version or a count of the wrong type makes the whole entry unreadable")
  func wrongTypes() async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch, cluster: "homelab")
      let valid = entry.json.rendered()
      for (from, to) in [
        ("\"stepIndex\": 2", "\"stepIndex\": \"2\""), ("\"pid\": 4242", "\"pid\": 99999999999"),
        ("\"node\": \"n3\"", "\"node\": null"),
      ] {
        let damaged = valid.replacing(from, with: to)
        #expect(damaged != valid)
        try OutputFile.write(damaged, to: journal.path)
        #expect(journal.read() == nil, "\(to)")
      }
    }
  }

  @Test("a field shaped like a join token is refused, and the message does not repeat it")
  func tokenShapedFieldRefused() async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch, cluster: "homelab")
      var withToken = entry
      withToken.node = sampleToken
      var withURL = entry
      withURL.verb = "join 10.0.0.1:25000/" + "Custom-Token-Of-32-Characters-Xx"
      var withUpperHex = entry
      withUpperHex.host = "n3-" + sampleToken.uppercased()
      for (field, bad) in [("node", withToken), ("verb", withURL), ("host", withUpperHex)] {
        do throws(Journal.Failure) {
          try journal.record(bad)
          Issue.record("recorded a token-shaped \(field)")
        } catch {
          #expect(
            error.description == "refusing to journal a step whose \(field) looks like a join token"
          )
        }
      }
      #expect(try directoryEntries(scratch).isEmpty, "nothing reached the disk")
      // 31 hex digits (shorter than any generated token) are fine.
      var nearMiss = entry
      nearMiss.node = String(sampleToken.dropLast())
      try journal.record(nearMiss)
      #expect(journal.read() == nearMiss)
    }
  }

  @Test("writes go through a temporary file that never stays behind")
  func atomicReplace() async throws {
    try await withScratchDirectory { scratch in
      let journal = Journal(stateDirectory: scratch, cluster: "homelab")
      for index in 1...5 {
        var step = entry
        step.stepIndex = index
        try journal.record(step)
        #expect(try directoryEntries(scratch) == ["homelab.journal.json"])
      }
      #expect(journal.read()?.stepIndex == 5)
    }
  }

  @Test("a state directory that cannot be created is reported with the journal's path")
  func unwritable() async throws {
    try await withScratchDirectory { scratch in
      try OutputFile.write("", to: scratch + "/file")
      let journal = Journal(stateDirectory: scratch + "/file/state", cluster: "homelab")
      do throws(Journal.Failure) {
        try journal.record(entry)
        Issue.record("recorded under a regular file")
      } catch {
        guard case .cannotWrite(let path, let reason) = error else {
          Issue.record("expected .cannotWrite, got \(error)")
          return
        }
        #expect(path == journal.path)
        #expect(reason.contains("Not a directory"), "\(reason)")
      }
    }
  }
}
