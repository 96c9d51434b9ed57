import Foundation
import Testing

/// `mktopo apply` on hosts without MicroK8s, against the simulator's bare hosts and its
/// `snap`: installed on the file's track, then joined; or stopped, with the fix, when the
/// host cannot go on as the file asks.
@Suite("apply: installing MicroK8s")
struct ApplyInstallTests {
  typealias Node = ApplyLab.Node

  @Test("a bare worker is installed, waited for, then joined")
  func installThenJoin() async throws {
    let lab = try await ApplyLab(["node1", "worker1"], hosts: ["worker1": "worker1:bare"])
    let file = try lab.topology([.mixed("node1"), .worker("worker1")])
    let planned = await lab.plan(file)
    #expect(
      planned.stdout.contains(
        "1. on worker1: snap install microk8s --classic --channel=1.28/stable"
      ),
      "\(planned.stdout)"
    )
    // The plan says it will install MicroK8s: no warning that it is missing.
    #expect(!planned.stderr.contains("not installed"), "\(planned.stderr)")
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    for line in [
      "1/3 on worker1: snap install microk8s --classic --channel=1.28/stable",
      "waiting for MicroK8s on worker1 ready",
      "3/3 on worker1: microk8s join",
    ] {
      #expect(applied.stdout.contains(line), "\(line) in \(applied.stdout)")
    }
    let world = try await lab.world()
    #expect(world.nodes() == ["node1": "control-plane", "worker1": "worker"])
    #expect(world.hosts.first { $0.hostname == "worker1" }?.installed == true)
    await lab.expectConverged(file)
    lab.expectNoSecrets()
  }

  @Test("three bare hosts: the founder is installed first, the others installed and joined")
  func bareCluster() async throws {
    let names = ["node1", "node2", "node3"]
    let lab = try await ApplyLab(
      names,
      hosts: Dictionary(uniqueKeysWithValues: names.map { ($0, "\($0):bare") })
    )
    let file = try lab.topology(names.map { Node.mixed($0) }, version: "1.30")
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(applied.stdout.contains("[1/3] + install node1"), "\(applied.stdout)")
    #expect(applied.stdout.contains("--channel=1.30/stable"), "\(applied.stdout)")
    #expect(
      applied.stdout.contains("(2 joined, MicroK8s installed on 3). Cluster membership matches"),
      "\(applied.stdout)"
    )
    let world = try await lab.world()
    #expect(world.datastore() == ["node1": "voter", "node2": "voter", "node3": "voter"])
    #expect(world.hosts.allSatisfy { $0.installed && $0.track == "1.30" })
    await lab.expectConverged(file)
  }

  @Test("policy.install: false blocks the bare host with the command to run")
  func installOff() async throws {
    let lab = try await ApplyLab(["node1", "worker1"], hosts: ["worker1": "worker1:bare"])
    let file = try lab.topology(
      [.mixed("node1"), .worker("worker1")],
      policy: ["install": "false"]
    )
    let applied = await lab.apply(file)
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains(
        "policy.install is false; on it run: sudo snap install microk8s --classic "
          + "--channel=1.28/stable"
      ),
      "\(applied.stdout)"
    )
    #expect(try await lab.world().hosts.first { $0.hostname == "worker1" }?.installed == false)
  }

  @Test("a small machine as control plane: installed, then stopped with 'role: worker'")
  func lowMemory() async throws {
    let lab = try await ApplyLab(["node1", "node2"], hosts: ["node2": "node2:bare"])
    await lab.host("node2", "low-memory")
    let mixed = try lab.topology([.mixed("node1"), .mixed("node2")], file: "mixed.yaml")
    let refused = await lab.apply(mixed)
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    #expect(refused.stderr.contains("512 MiB of RAM or less"), "\(refused.stderr)")
    #expect(refused.stderr.contains("make it 'role: worker'"), "\(refused.stderr)")
    #expect(!refused.stdout.contains("3/3 on node2: microk8s join"), "\(refused.stdout)")
    // As the message says: a worker it is.
    let worker = try lab.topology([.mixed("node1"), .worker("node2")])
    let applied = await lab.apply(worker)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(try await lab.world().nodes()["node2"] == "worker")
  }

  @Test("a host named otherwise: installed, not joined, and the fix named")
  func otherHostname() async throws {
    let lab = try await ApplyLab(["node1", "node2"], hosts: ["node2": "gadget:bare"])
    let file = try lab.topology([.mixed("node1"), .worker("node2")])
    let refused = await lab.apply(file)
    #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
    #expect(
      refused.stderr.contains("the host is named gadget (its node registered as gadget)"),
      "\(refused.stderr)"
    )
    #expect(refused.stderr.contains("sudo hostnamectl set-hostname node2"), "\(refused.stderr)")
    #expect(try await lab.world().nodes().keys.sorted() == ["node1"])
    // Observed again, it is a standalone host under another name: blocked, not joined.
    let planned = await lab.plan(file)
    #expect(planned.stdout.contains("is named gadget"), "\(planned.stdout)")
  }

  @Test("no snapd, or sudo asking for a password: the change stops with the fix")
  func prerequisites() async throws {
    let lab = try await ApplyLab(["node1", "worker1"], hosts: ["worker1": "worker1:bare"])
    let file = try lab.topology([.mixed("node1"), .worker("worker1")])
    let worker = ApplyLab.address("worker1")
    await lab.sim(["fault", worker, "snap", "not-installed", "--always"])
    let noSnapd = await lab.apply(file)
    #expect(noSnapd.status == 1, "\(noSnapd.stdout)\n\(noSnapd.stderr)")
    #expect(noSnapd.stderr.contains("snapd is not installed"), "\(noSnapd.stderr)")
    #expect(noSnapd.stderr.contains("sudo apt install snapd"), "\(noSnapd.stderr)")
    await lab.sim(["fault", "clear"])
    await lab.sim(["fault", worker, "snap", "sudo-password", "--always"])
    let noSudo = await lab.apply(file)
    #expect(noSudo.status == 1, "\(noSudo.stdout)\n\(noSudo.stderr)")
    #expect(noSudo.stderr.contains("sudo asks for a password"), "\(noSudo.stderr)")
    #expect(noSudo.stderr.contains("passwordless sudo for snap"), "\(noSudo.stderr)")
    await lab.sim(["fault", "clear"])
    let applied = await lab.apply(file)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
  }
}
