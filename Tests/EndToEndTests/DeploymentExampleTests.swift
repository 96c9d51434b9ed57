import Foundation
import Glibc
import Testing

/// The deployment examples in `deploy/`, checked as far as this machine can: the exact
/// command lines of the systemd services and of the Kubernetes CronJob run with the
/// built mktopo against a simulated cluster whose topology is in a local git repository
/// (`file://`), so that a renamed flag breaks a test; the unit files pass
/// `systemd-analyze verify` where it is installed; the manifest parses and has what a
/// CronJob needs.
///
/// The examples' documentation values (the git URL, the path in the repository, the
/// state directory, the metrics port) are swapped for the lab's; nothing else is changed,
/// and no argument that names a host outside the machine is left.
@Suite("deployment examples: deploy/")
struct DeploymentExampleTests {
  typealias Node = ApplyLab.Node

  static let systemd = "deploy/systemd/"
  static let cronJob = "deploy/kubernetes/mktopo-reconcile-cronjob.yaml"
  /// Where the units say the environment file is installed, and the example of it.
  static let environmentFile = "/etc/mktopo/reconcile.env"
  static let environmentExample = systemd + "mktopo-reconcile.env"

  // MARK: systemd

  @Test(
    "the long-running service's ExecStart runs as written: converged, metrics served, exit 0 on SIGTERM"
  )
  func longRunningService() async throws {
    let unit = try SystemdUnit(file: Self.systemd + "mktopo-reconcile.service")
    let argv = try unit.execStart(environment: try Self.unitEnvironment(unit))
    #expect(argv.first == "/usr/local/bin/mktopo")
    #expect(!argv.contains("--once"), "the daemon runs until stopped: \(argv)")

    let gitops = try await ReconcileLab(["node1", "node2"])
    let commit = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let port = try ReconcileDaemonTests.freePort()
    let arguments = try Self.localised(
      Array(argv.dropFirst()),
      gitops,
      port: port,
      replacing: ["git", "path", "state", "metrics"]
    )
    let daemon = try gitops.start(arguments: arguments)
    let converged = await gitops.waitForStatus(daemon) {
      $0["lastAppliedRevision"] as? String == commit
    }
    #expect(converged, "\(daemon.output().stderr)")
    if converged {
      let scrape = (try? ReconcileDaemonTests.get("/metrics", port: port)) ?? ""
      #expect(scrape.hasPrefix("HTTP/1.1 200"), "\(scrape)")
      #expect(
        scrape.contains("mktopo_reconcile_last_outcome{outcome=\"converged\"} 1"),
        "\(scrape)"
      )
    }
    daemon.send(SIGTERM)
    let end = await daemon.wait()
    let log = daemon.output().stderr
    #expect(end == .exited(0), "\(log)")
    let pass = try Self.passRecord(log)
    #expect(pass["outcome"] as? String == "converged", "\(pass)")
    #expect(pass["revision"] as? String == commit, "\(pass)")
    #expect(pass["next"] as? String != "none", "a daemon names its next pass: \(pass)")
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
  }

  @Test(
    "the timer's service runs as written: one converged pass, exit 0; its metrics-file option works"
  )
  func onceService() async throws {
    let unit = try SystemdUnit(file: Self.systemd + "mktopo-reconcile-once.service")
    var environment = try Self.unitEnvironment(unit)
    let argv = try unit.execStart(environment: environment)
    #expect(argv.first == "/usr/local/bin/mktopo")
    #expect(argv.contains("--once"), "\(argv)")

    let gitops = try await ReconcileLab(["node1", "node2"])
    let commit = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let arguments = try Self.localised(
      Array(argv.dropFirst()),
      gitops,
      replacing: ["git", "path", "state"]
    )
    let result = await gitops.lab.run(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let pass = try Self.passRecord(result.stderr)
    #expect(pass["outcome"] as? String == "converged", "\(pass)")
    #expect(pass["revision"] as? String == commit, "\(pass)")
    #expect(pass["next"] as? String == "none", "\(pass)")
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
    #expect(gitops.status()?["lastAppliedRevision"] as? String == commit)

    // The README lists exactly the metrics a converged pass writes.
    let metrics = try String(contentsOfFile: gitops.state + "/reconcile.prom", encoding: .utf8)
    let written = Set(
      metrics.lines.compactMap { $0.firstMatch(of: #/^# TYPE (\S+)/#).map { String($0.output.1) } }
    )
    #expect(written.count == 10, "\(metrics)")
    #expect(try Self.readmeMetricNames() == written)

    // The node_exporter textfile option the environment file suggests.
    let suggested = try #require(
      try Fixtures.text(Self.environmentExample).lines
        .first { $0.contains("--metrics-file") }?
        .drop { $0 == "#" || $0 == " " },
      "the environment file suggests --metrics-file"
    )
    let textfileDirectory = gitops.lab.directory.url.appendingPathComponent("node-exporter").path
    try FileManager.default.createDirectory(
      atPath: textfileDirectory,
      withIntermediateDirectories: true
    )
    environment["MKTOPO_OPTIONS"] = String(suggested)
      .replacingOccurrences(of: "/var/lib/prometheus/node-exporter", with: textfileDirectory)
    let again = await gitops.lab.run(
      try Self.localised(
        Array(try unit.execStart(environment: environment).dropFirst()),
        gitops,
        replacing: ["git", "path", "state"]
      )
    )
    #expect(again.status == 0, "\(again.stderr)")
    let textfile = try String(contentsOfFile: textfileDirectory + "/mktopo.prom", encoding: .utf8)
    #expect(textfile.contains("mktopo_reconcile_passes_total 2"), "\(textfile)")
  }

  @Test("the units keep what a graceful stop, the state directory and the timer need")
  func unitSettings() throws {
    let daemon = try SystemdUnit(file: Self.systemd + "mktopo-reconcile.service")
    let once = try SystemdUnit(file: Self.systemd + "mktopo-reconcile-once.service")
    let timer = try SystemdUnit(file: Self.systemd + "mktopo-reconcile.timer")
    #expect(daemon.value("Type") == "exec")
    #expect(daemon.value("Restart") == "on-failure")
    #expect(once.value("Type") == "oneshot")
    for unit in [daemon, once] {
      #expect(unit.value("KillSignal") == "SIGTERM", "\(unit.name)")
      // SIGTERM to mktopo alone: the ssh of a join in flight must not die with it.
      #expect(unit.value("KillMode") == "mixed", "\(unit.name)")
      let stop = try #require(unit.value("TimeoutStopSec"), "\(unit.name)")
      #expect(stop.hasSuffix("min") && (Int(stop.dropLast(3)) ?? 0) >= 15, "\(unit.name): \(stop)")
      #expect(unit.value("StateDirectory") == "mktopo", "\(unit.name)")
      let argv = try unit.execStart(environment: try Self.unitEnvironment(unit))
      #expect(Self.option("--state-dir", in: argv) == "/var/lib/mktopo", "\(unit.name)")
      #expect(Self.option("--log-format", in: argv) == "json", "\(unit.name)")
      #expect(unit.value("EnvironmentFile") == Self.environmentFile, "\(unit.name)")
      for (key, value) in [
        ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("PrivateTmp", "yes"),
      ] {
        #expect(unit.value(key) == value, "\(unit.name): \(key)")
      }
    }
    #expect(timer.value("Unit", section: "Timer") == "mktopo-reconcile-once.service")
    #expect(timer.value("OnCalendar", section: "Timer") == "*:0/5")
    #expect(timer.value("RandomizedDelaySec", section: "Timer") != nil)
    #expect(timer.value("Persistent", section: "Timer") == "true")
  }

  @Test(
    "systemd-analyze verify accepts the units",
    .enabled(
      if: which("systemd-analyze") != nil,
      "systemd-analyze is not installed: the unit files' syntax is not checked here"
    )
  )
  func systemdVerify() async throws {
    let analyze = try #require(which("systemd-analyze"))
    let directory = try TemporaryDirectory()
    let binary = try Paths.mktopoBinary().path
    let names = [
      "mktopo-reconcile.service", "mktopo-reconcile-once.service", "mktopo-reconcile.timer",
    ]
    var files: [String] = []
    for name in names {
      // verify checks that ExecStart's program exists: point it at the built one.
      let text = try Fixtures.text(Self.systemd + name)
        .replacingOccurrences(of: "/usr/local/bin/mktopo", with: binary)
      files.append(try directory.write(name, text))
    }
    let runner = CommandRunner(executable: URL(fileURLWithPath: analyze))
    let result = await runner.run(["verify"] + files, environment: ["SYSTEMD_LOG_COLOR": "0"])
    #expect(result.status == 0, "\(result.stderr)")
    let complaints = (result.stdout + result.stderr).lines.filter {
      $0.contains("mktopo-reconcile")
    }
    #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
  }

  // MARK: Kubernetes

  @Test("the CronJob's container runs as written: one converged pass, exit 0")
  func cronJobContainer() async throws {
    let container = try Self.cronJobContainer()
    let command = try #require(container["command"] as? [String])
    let args = try #require(container["args"] as? [String])
    #expect(command == ["mktopo"])
    #expect(args.contains("--once"), "\(args)")

    let gitops = try await ReconcileLab(["node1", "node2"])
    let commit = try await gitops.commit([.mixed("node1"), .mixed("node2")], "two nodes")
    let result = await gitops.lab.run(
      try Self.localised(args, gitops, replacing: ["git", "path", "state"])
    )
    #expect(result.status == 0, "\(result.stderr)")
    let pass = try Self.passRecord(result.stderr)
    #expect(pass["outcome"] as? String == "converged", "\(pass)")
    #expect(pass["revision"] as? String == commit, "\(pass)")
    #expect(try await gitops.membership() == ["node1": "voter", "node2": "spare"])
  }

  @Test(
    "the manifest is YAML with what a CronJob needs: Forbid, no retries, state on a claim, ssh read-only"
  )
  func cronJobManifest() throws {
    let documents = try Self.manifest()
    let claim = try #require(documents.first { $0["kind"] as? String == "PersistentVolumeClaim" })
    #expect(claim["apiVersion"] as? String == "v1")
    let claimName = try #require((claim["metadata"] as? [String: Any])?["name"] as? String)
    #expect((claim["spec"] as? [String: Any])?["accessModes"] as? [String] == ["ReadWriteOnce"])

    let job = try #require(documents.first { $0["kind"] as? String == "CronJob" })
    #expect(job["apiVersion"] as? String == "batch/v1")
    #expect((job["metadata"] as? [String: Any])?["name"] is String)
    let spec = try #require(job["spec"] as? [String: Any])
    let schedule = try #require(spec["schedule"] as? String)
    #expect(schedule.split(separator: " ").count == 5, "\(schedule)")
    #expect(spec["concurrencyPolicy"] as? String == "Forbid")
    let jobSpec = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
    #expect(jobSpec["backoffLimit"] as? Int == 0)
    let pod = try #require((jobSpec["template"] as? [String: Any])?["spec"] as? [String: Any])
    #expect(pod["restartPolicy"] as? String == "Never")
    #expect((pod["terminationGracePeriodSeconds"] as? Int ?? 0) >= 900)

    let container = try Self.cronJobContainer()
    #expect(container["name"] is String)
    let image = try #require(container["image"] as? String)
    #expect(
      image.contains("build-me") && image.contains("example.com"),
      "a marked placeholder: \(image)"
    )
    let args = try #require(container["args"] as? [String])
    #expect(Self.option("--log-format", in: args) == "json")
    let state = try #require(Self.option("--state-dir", in: args))

    let volumes = try #require(pod["volumes"] as? [[String: Any]])
    let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
    func volume(mountedAt path: String) -> (mount: [String: Any], volume: [String: Any])? {
      guard let mount = mounts.first(where: { $0["mountPath"] as? String == path }),
        let volume = volumes.first(where: { $0["name"] as? String == mount["name"] as? String })
      else { return nil }
      return (mount, volume)
    }
    let stateVolume = try #require(volume(mountedAt: state), "the state directory is mounted")
    #expect(
      (stateVolume.volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String
        == claimName
    )
    let env = (container["env"] as? [[String: Any]]) ?? []
    #expect(env.first { $0["name"] as? String == "HOME" }?["value"] as? String == state)
    let ssh = try #require(volume(mountedAt: state + "/.ssh"), "~/.ssh comes from a Secret")
    #expect(ssh.mount["readOnly"] as? Bool == true)
    #expect((ssh.volume["secret"] as? [String: Any])?["secretName"] is String)
  }

  /// Whether python3 can import kubernetes_validate (PyPI; `make setup` tries to install it).
  static let kubernetesValidateInstalled: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: which("python3") ?? "/usr/bin/python3")
    process.arguments = ["-c", "import kubernetes_validate"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }()

  @Test(
    "kubernetes-validate --strict accepts the manifest (Kubernetes' own schemas, offline)",
    .enabled(
      if: kubernetesValidateInstalled,
      "kubernetes-validate (PyPI) is not installed: the manifest is not checked against Kubernetes' schemas"
    )
  )
  func cronJobSchema() async throws {
    let python = try #require(which("python3"))
    let runner = CommandRunner(executable: URL(fileURLWithPath: python))
    let result = await runner.run([
      "-m", "kubernetes_validate", "--strict", "--quiet", Self.cronJob,
    ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test("the README's GitOps section names every example file")
  func readmeNamesExamples() throws {
    let section = try Self.readmeGitOps()
    for file in [
      "deploy/systemd/mktopo-reconcile.service", "deploy/systemd/mktopo-reconcile-once.service",
      "deploy/systemd/mktopo-reconcile.timer", "deploy/systemd/mktopo-reconcile.env",
      Self.cronJob,
    ] {
      #expect(section.contains(file), "\(file)")
      #expect(FileManager.default.fileExists(atPath: Paths.absolute(file)), "\(file)")
    }
  }

  // MARK: Helpers

  /// The environment of a unit's ExecStart: its `Environment=` lines, then the example
  /// environment file standing in for `EnvironmentFile=`, whose values win as in systemd.
  static func unitEnvironment(_ unit: SystemdUnit) throws -> [String: String] {
    var environment: [String: String] = [:]
    for assignment in unit.values("Environment") {
      let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    #expect(unit.value("EnvironmentFile") == environmentFile, "\(unit.name)")
    for line in try Fixtures.text(environmentExample).lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix(";") else { continue }
      let parts = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      try #require(parts.count == 2, "not KEY=VALUE in \(environmentExample): \(line)")
      environment[String(parts[0])] = String(parts[1])
    }
    return environment
  }

  /// `arguments` with the examples' documentation values replaced by the lab's; fails
  /// unless each kind named in `replacing` was found, and if any argument still names
  /// a host under example.com.
  static func localised(
    _ arguments: [String],
    _ gitops: ReconcileLab,
    port: Int = 0,
    replacing kinds: Set<String>,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String] {
    let replacements: [(kind: String, example: String, local: String)] = [
      ("git", "git@git.example.com:ops/clusters.git", gitops.url),
      ("path", "clusters/homelab.yaml", ReconcileLab.path),
      ("state", "/var/lib/mktopo", gitops.state),
      ("metrics", "127.0.0.1:9464", "127.0.0.1:\(port)"),
    ]
    var found: Set<String> = []
    let localised = arguments.map { argument in
      guard let replacement = replacements.first(where: { $0.example == argument }) else {
        return argument
      }
      found.insert(replacement.kind)
      return replacement.local
    }
    #expect(
      found == kinds,
      "documentation values found in \(arguments)",
      sourceLocation: sourceLocation
    )
    let outside = localised.filter { $0.contains("example.com") }
    try #require(
      outside.isEmpty,
      "left pointing outside the machine: \(outside)",
      sourceLocation: sourceLocation
    )
    return localised
  }

  /// The value after `option` in an argument list.
  static func option(_ option: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else {
      return nil
    }
    return arguments[index + 1]
  }

  /// The `pass` line of a `--log-format json` log; every line must be JSON.
  static func passRecord(
    _ log: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    let lines = log.lines
    let records = lines.compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    #expect(
      records.count == lines.count,
      "every log line is JSON: \(log)",
      sourceLocation: sourceLocation
    )
    return try #require(
      records.last { $0["message"] as? String == "pass" },
      "no pass line in \(log)",
      sourceLocation: sourceLocation
    )
  }

  /// The manifest's documents, parsed by python3's yaml module.
  static func manifest() throws -> [[String: Any]] {
    let script = """
      import json, sys
      try:
          import yaml
      except ImportError as exc:
          print(f"python3 cannot import yaml: {exc}", file=sys.stderr)
          sys.exit(3)
      with open(sys.argv[1], encoding="utf-8") as stream:
          print(json.dumps([d for d in yaml.safe_load_all(stream) if d is not None]))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, Paths.absolute(cronJob)]
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let problem = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    switch process.terminationStatus {
    case 0: break
    case 3:
      throw ManifestUnreadable(
        description: "python3 lacks the yaml module; `make setup` installs it"
      )
    case 127:
      throw ManifestUnreadable(description: "python3 is not on PATH; `make setup` installs it")
    default: throw ManifestUnreadable(description: "\(cronJob) is not YAML: \(problem)")
    }
    return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
  }

  struct ManifestUnreadable: Error, CustomStringConvertible {
    var description: String
  }

  /// The CronJob's one container.
  static func cronJobContainer() throws -> [String: Any] {
    let job = try #require(try manifest().first { $0["kind"] as? String == "CronJob" })
    let pod =
      (((job["spec"] as? [String: Any])?["jobTemplate"] as? [String: Any])?["spec"]
      as? [String: Any])?["template"] as? [String: Any]
    let containers = try #require(
      (pod?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
    )
    try #require(containers.count == 1, "one container")
    return containers[0]
  }

  /// The README's "GitOps" section, up to the next section of the same level.
  static func readmeGitOps() throws -> String {
    let lines = try Fixtures.text("README.md").lines
    let start = try #require(
      lines.firstIndex(of: "## GitOps"),
      "README.md has a '## GitOps' section"
    )
    let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
    return lines[start..<end].joined(separator: "\n")
  }

  /// Every `mktopo_reconcile_…` name in the README's GitOps section.
  static func readmeMetricNames() throws -> Set<String> {
    Set(try readmeGitOps().matches(of: #/mktopo_reconcile_[a-z_]+/#).map { String($0.output) })
  }
}

extension ReconcileLab {
  /// mktopo with exactly `arguments`, started in the background.
  func start(arguments: [String]) throws -> ApplyProcess {
    try ApplyProcess.start(
      lab.mktopo.executable.path,
      arguments,
      environment: lab.environment,
      outputPrefix: lab.directory.url.appendingPathComponent("daemon-\(UUID())").path
    )
  }
}

/// A systemd unit file, read as systemd reads the parts the examples use: sections,
/// `Key=value` lines, `#` and `;` comments, lines continued by a final backslash.
struct SystemdUnit {
  let name: String
  private var entries: [(section: String, key: String, value: String)] = []

  struct Malformed: Error, CustomStringConvertible {
    var description: String
  }

  init(file relative: String) throws {
    name = URL(fileURLWithPath: relative).lastPathComponent
    var section = ""
    var pending = ""
    for line in try Fixtures.text(relative).lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if pending.isEmpty, trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
        continue
      }
      if trimmed.hasSuffix("\\") {
        pending += trimmed.dropLast() + " "
        continue
      }
      let logical = pending + trimmed
      pending = ""
      if logical.hasPrefix("["), logical.hasSuffix("]") {
        section = String(logical.dropFirst().dropLast())
        continue
      }
      guard let equals = logical.firstIndex(of: "=") else {
        throw Malformed(description: "\(relative): not Key=value: \(logical)")
      }
      entries.append(
        (
          section,
          logical[..<equals].trimmingCharacters(in: .whitespaces),
          logical[logical.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        )
      )
    }
    guard pending.isEmpty else {
      throw Malformed(description: "\(relative): ends in a continuation")
    }
  }

  func values(_ key: String, section: String = "Service") -> [String] {
    entries.filter { $0.section == section && $0.key == key }.map(\.value)
  }

  /// The last value of `key`, as systemd keeps the last of a setting given twice.
  func value(_ key: String, section: String = "Service") -> String? {
    values(key, section: section).last
  }

  /// The one `ExecStart=` as systemd would run it.
  ///
  /// Split at spaces, `${NAME}` replaced by the variable's value as one word, a word that
  /// is just `$NAME` by the value's words (none when empty). The examples use no quotes
  /// or escapes, and this checks it.
  func execStart(environment: [String: String]) throws -> [String] {
    let lines = values("ExecStart")
    guard lines.count == 1, let line = lines.first else {
      throw Malformed(description: "\(name): \(lines.count) ExecStart lines")
    }
    guard !line.contains(where: { "\"'\\%".contains($0) }) else {
      throw Malformed(description: "\(name): quotes, escapes or specifiers in ExecStart: \(line)")
    }
    var words: [String] = []
    for word in line.split(whereSeparator: \.isWhitespace).map(String.init) {
      if let match = word.wholeMatch(of: #/\$([A-Za-z_][A-Za-z0-9_]*)/#) {
        let value = try lookUp(String(match.output.1), environment)
        words += value.split(whereSeparator: \.isWhitespace).map(String.init)
        continue
      }
      var expanded = word
      for match in word.matches(of: #/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/#) {
        let value = try lookUp(String(match.output.1), environment)
        expanded = expanded.replacingOccurrences(of: String(match.output.0), with: value)
      }
      guard !expanded.contains("$") else {
        throw Malformed(description: "\(name): a '$' left in \(word)")
      }
      words.append(expanded)
    }
    return words
  }

  /// systemd expands an unset variable to nothing; here that is a mistake in the example.
  private func lookUp(_ variable: String, _ environment: [String: String]) throws -> String {
    guard let value = environment[variable] else {
      throw Malformed(description: "\(name): ExecStart uses \(variable), which nothing sets")
    }
    return value
  }
}
