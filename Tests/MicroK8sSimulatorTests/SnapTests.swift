import Testing

@testable import MicroK8sSimulator

/// Bare hosts and the host's `snap`: installing MicroK8s, and refreshing it to a track.
@Suite("Simulator: snap install and refresh")
struct SnapTests {
  static let bare = "192.168.1.20"

  @Test("a bare host has no microk8s: every command is not found, exit 127")
  func bareHost() {
    let lab = Lab("192.168.1.10=node1", "192.168.1.20=worker1:bare")
    #expect(!lab.host(Self.bare).installed)
    #expect(lab.host(Self.bare).cluster == 0)
    for verb in ["status", "version", "join", "kubectl"] {
      let outcome = lab.run(Self.bare, verb)
      #expect(outcome.exitCode == 127, "\(verb): \(outcome)")
      #expect(outcome.stderr == "bash: line 1: microk8s: command not found\n")
    }
    #expect(lab.world.clusters.count == 1, "no datastore for the bare host")
  }

  @Test("snap install: a fresh standalone node on the channel's track, Ready after the delay")
  func install() {
    let lab = Lab("192.168.1.10=node1", "192.168.1.20=worker1:bare")
    lab.world.settings.readyDelay = 10
    let outcome = lab.run(
      Self.bare,
      "snap",
      "install",
      "microk8s",
      "--classic",
      "--channel=1.30/stable"
    )
    #expect(outcome.exitCode == 0, "\(outcome)")
    #expect(
      outcome.stdout
        == "microk8s (1.30/stable) v1.30.\(MicroK8sRelease(major: 1, minor: 30).patch) from Canonical✓ installed\n"
    )
    let host = lab.host(Self.bare)
    #expect(host.installed && host.track == "1.30" && host.mode == .standalone)
    #expect(lab.run(Self.bare, "version").stdout.hasPrefix("MicroK8s v1.30."))
    #expect(lab.readiness(of: "worker1", seenFrom: Self.bare) == .notReady)
    lab.now += 10
    #expect(lab.readiness(of: "worker1", seenFrom: Self.bare) == .ready)
    #expect(lab.run(Self.bare, "status").exitCode == 0)
    // Once there, installing again changes nothing.
    let again = lab.run(Self.bare, "snap", "install", "microk8s", "--classic", "--channel=1.28")
    #expect(again.exitCode == 0)
    #expect(again.stderr == "snap \"microk8s\" is already installed, see 'snap help refresh'\n")
    #expect(lab.host(Self.bare).track == "1.30")
  }

  @Test("snap install refuses without --classic, or on a channel that does not exist")
  func installRefusals() {
    let lab = Lab("192.168.1.20=worker1:bare")
    let strict = lab.run(Self.bare, "snap", "install", "microk8s", "--channel=1.28/stable")
    #expect(strict.exitCode == 1)
    #expect(strict.stderr.contains("repeat the command including --classic"))
    let missing = lab.run(
      Self.bare,
      "snap",
      "install",
      "microk8s",
      "--classic",
      "--channel=banana/stable"
    )
    #expect(missing.exitCode == 1)
    #expect(missing.stderr.hasPrefix("error: requested a non-existing branch on banana/stable"))
    #expect(!lab.host(Self.bare).installed)
  }

  @Test("a low-memory machine gets its guard at install")
  func lowMemoryInstall() {
    let lab = Lab("192.168.1.20=worker1:bare")
    lab.apply(.lowMemory(true), to: Self.bare)
    #expect(lab.run(Self.bare, "snap", "install", "microk8s", "--classic").exitCode == 0)
    let status = lab.run(Self.bare, "status")
    #expect(status.exitCode == 1)
    #expect((status.stdout + status.stderr).contains("does not have enough RAM"), "\(status)")
  }

  @Test("snap refresh moves the node to the track's kubelet, NotReady while it restarts")
  func refresh() {
    let lab = Lab.cluster(controlPlanes: 1, workers: 0)
    lab.world.settings.readyDelay = 5
    let outcome = lab.run(Lab.contact, "snap", "refresh", "microk8s", "--channel=1.29/stable")
    #expect(outcome.exitCode == 0, "\(outcome)")
    #expect(outcome.stdout.hasSuffix("from Canonical✓ refreshed\n"))
    #expect(lab.host(Lab.contact).track == "1.29")
    let nodes = lab.cluster(of: Lab.contact).nodes
    #expect(nodes.first?.kubeletVersion.hasPrefix("v1.29.") == true, "\(nodes)")
    #expect(lab.readiness(of: "node1") == .notReady)
    let member = lab.cluster(of: Lab.contact).members[0]
    #expect(!lab.world.isOnline(member, in: lab.cluster(of: Lab.contact)), "restarting")
    lab.now += 5
    #expect(lab.readiness(of: "node1") == .ready)
    lab.world.settle(now: lab.now)
    #expect(lab.world.isOnline(member, in: lab.cluster(of: Lab.contact)))
    let same = lab.run(Lab.contact, "snap", "refresh", "microk8s", "--channel=1.29/stable")
    #expect(same.exitCode == 0 && same.stderr == "snap \"microk8s\" has no updates available\n")
    let bare = Lab("192.168.1.20=worker1:bare")
    let absent = bare.run(Self.bare, "snap", "refresh", "microk8s", "--channel=1.29")
    #expect(absent.exitCode == 1 && absent.stderr == "error: snap \"microk8s\" is not installed\n")
  }

  @Test("a refresh that skips a minor version, or goes back, leaves a node never Ready")
  func skew() {
    for channel in ["1.30/stable", "1.27/stable"] {
      let lab = Lab.cluster(controlPlanes: 1, workers: 0)
      let outcome = lab.run(Lab.contact, "snap", "refresh", "microk8s", "--channel=\(channel)")
      #expect(outcome.exitCode == 0, "\(outcome)")
      lab.now += 3600
      #expect(lab.readiness(of: "node1") == .notReady, "\(channel)")
    }
  }

  @Test("no snapd, and sudo without a sudoers entry")
  func faults() {
    let lab = Lab("192.168.1.20=worker1:bare")
    lab.fault(Self.bare, "snap", .notInstalled)
    let noSnapd = lab.run(Self.bare, "snap", "install", "microk8s", "--classic")
    #expect(noSnapd.exitCode == 127 && noSnapd.stderr == "bash: line 1: snap: command not found\n")
    lab.fault(Self.bare, "snap", .sudoPassword)
    let noSudo = lab.run(Self.bare, "snap", "install", "microk8s", "--classic")
    #expect(noSudo.exitCode == 1 && noSudo.stderr == "sudo: a password is required\n")
    #expect(!lab.host(Self.bare).installed)
  }
}
