import Glibc

/// `mktopo validate` on a generated topology against a C program that only loads the same
/// file with libyaml's `yaml_parser_load`, as whole processes side by side: what a user
/// runs, start-up, page faults and exit included.
///
/// Target: mktopo's median CPU time (user + system) within 1.5x of the C program's.
/// The C program is built here from `bench/libyaml-load.c` with the system compiler
/// (`$CC`, else `cc`), and both are run through `bench/measure.c`, which reports each
/// run's CPU time and peak memory as the kernel accounted them.
enum ProcessLoadBenchmark {
  struct Sample {
    var cpuMilliseconds: Double
    var peakMegabytes: Double
  }

  /// Runs the comparison and prints it; false when something could not be built or run.
  static func run(nodeCount: Int, rounds: Int, sources: String) -> Bool {
    let mktopo = binDirectory() + "/mktopo"
    guard access(mktopo, X_OK) == 0 else {
      print("mktopo is not at \(mktopo); build it with `make release`")
      return false
    }
    guard let directory = makeScratchDirectory() else {
      print("cannot create a scratch directory")
      return false
    }
    defer { _ = system("rm -rf '\(directory)'") }
    let reference = directory + "/libyaml-load"
    let measure = directory + "/measure"
    guard build(sources + "/libyaml-load.c", into: reference, libraries: ["-lyaml"]),
      build(sources + "/measure.c", into: measure, libraries: [])
    else { return false }
    let result = directory + "/result"
    let file = directory + "/topology.yaml"
    let bytes = LoadBenchmark.generateTopology(nodes: nodeCount)
    guard write(bytes, to: file) else {
      print("cannot write \(file)")
      return false
    }
    let commands = [[reference, file], [mktopo, "validate", file]]
    // The first round warms the page cache and checks that both succeed; it is not counted.
    var samples: [[Sample]] = [[], []]
    for round in 0...rounds {
      // Alternating order, so machine noise and cache state hit both sides alike.
      for index in round % 2 == 0 ? [0, 1] : [1, 0] {
        guard let sample = measured(commands[index], measure: measure, result: result) else {
          print("\(commands[index].joined(separator: " ")) failed")
          return false
        }
        if round > 0 { samples[index].append(sample) }
      }
    }
    let cpu = samples.map { $0.map(\.cpuMilliseconds) }
    let peaks = samples.map { $0.map(\.peakMegabytes).max() ?? 0 }
    // Each round's two runs met the same machine: the median of their ratios is steadier on
    // a shared machine than the ratio of two medians taken apart.
    let ratio = median(zip(cpu[0], cpu[1]).map { $1 / $0 })
    print("whole processes, CPU time (user + system) over \(rounds) runs each, median (fastest):")
    for (index, label) in ["C, libyaml yaml_parser_load only:", "mktopo validate:"].enumerated() {
      print(
        "  " + label + String(repeating: " ", count: 35 - label.count)
          + "\(padded(format(median(cpu[index])), 6)) ms "
          + "(\(format(cpu[index].min() ?? 0))), peak \(format(peaks[index])) MB"
      )
    }
    print(
      "  ratio, median of the side-by-side pairs (target <= 1.5): \(format2(ratio))  "
        + (ratio <= 1.5 ? "ok" : "OVER TARGET")
    )
    return true
  }

  /// Compiles one C file of bench/ with the system compiler.
  private static func build(_ source: String, into binary: String, libraries: [String]) -> Bool {
    guard access(source, R_OK) == 0 else {
      print("\(source) is missing; run mktopo-bench from the repository root")
      return false
    }
    let compiler = getenv("CC").map { String(cString: $0) } ?? "cc"
    guard spawnAndWait([compiler, "-O2", "-o", binary, source] + libraries) == 0 else {
      print("could not build \(source) with \(compiler) (-lyaml needs libyaml-dev)")
      return false
    }
    return true
  }

  /// One run of `command` through `measure`: nil unless both exit 0.
  private static func measured(_ command: [String], measure: String, result: String) -> Sample? {
    guard spawnAndWait([measure, result] + command) == 0,
      let descriptor = Optional(open(result, O_RDONLY | O_CLOEXEC)), descriptor >= 0
    else { return nil }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    let fields = String(decoding: buffer[0..<count], as: UTF8.self)
      .split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
    guard fields.count == 3, fields[0] == 0 else { return nil }
    return Sample(cpuMilliseconds: fields[1] / 1000, peakMegabytes: fields[2] / 1024)
  }

  private static func write(_ bytes: [UInt8], to path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) == $0.count }
  }

  /// Starts `argv` with its output discarded and waits for it; its exit status.
  private static func spawnAndWait(_ argv: [String]) -> Int32? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var arguments = argv.map { strdup($0) } + [nil]
    defer { arguments.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawnp(&pid, argv[0], &actions, nil, &arguments, environ) == 0 else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      guard errno == EINTR else { return nil }
    }
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }
}
