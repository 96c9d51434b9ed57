import CLibYAML
import Glibc
import MembershipCore

// `make bench`: loads and validates a generated 10,000-node topology and compares it,
// in the same run, with libyaml's `yaml_parser_load` alone on the same bytes.
// Targets: load + validate within 1.5x of the libyaml load alone; peak memory < 100 MB.

let nodeCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000
let rounds = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 15

/// A realistic topology: mixed and worker nodes, some with their own connection.
func generateTopology(nodes: Int) -> [UInt8] {
  var text = """
    # yaml-language-server: $schema=../schema/topology.schema.json
    apiVersion: mktopo/v1
    kind: Topology
    cluster:
      name: bench
      version: "1.28"
    defaults:
      connection:
        user: ubuntu
        identityFile: ~/.ssh/id_ed25519
    policy:
      maxRemovals: 3
    nodes:

    """
  for index in 0..<nodes {
    text += "  - name: node-\(index)\n"
    text += "    address: 10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)\n"
    text += "    role: \(index < 5 ? "mixed" : "worker")\n"
    if index % 10 == 0 { text += "    version: \"1.28/stable\"\n" }
    if index % 7 == 0 { text += "    connection: { user: admin, port: 2222 }\n" }
  }
  return Array(text.utf8)
}

func libyamlLoadOnly(_ bytes: [UInt8]) -> Int {
  bytes.withUnsafeBufferPointer { buffer in
    var parser = yaml_parser_t()
    yaml_parser_initialize(&parser)
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
    var document = yaml_document_t()
    guard yaml_parser_load(&parser, &document) != 0 else { return -1 }
    let count = document.nodes.top - document.nodes.start
    yaml_document_delete(&document)
    return count
  }
}

func milliseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted[sorted.count / 2]
}

func peakResidentMegabytes() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}

let bytes = generateTopology(nodes: nodeCount)
print("topology: \(nodeCount) nodes, \(bytes.count) bytes")

// Warm up both paths once and check that the generated file really is valid.
let warm = TopologyLoader.load(bytes, file: "bench.yaml")
guard let topology = warm.topology, topology.nodes.count == nodeCount else {
  print("generated topology did not load: \(warm.diagnostics.prefix(3))")
  exit(1)
}
_ = libyamlLoadOnly(bytes)

var ours: [Double] = []
var baseline: [Double] = []
func measureOurs(_ bytes: [UInt8]) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  let load = TopologyLoader.load(bytes, file: "bench.yaml")
  let elapsed = milliseconds(clock.now - start)
  precondition(load.topology?.nodes.count == nodeCount)
  return elapsed
}

func measureBaseline(_ bytes: [UInt8]) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  precondition(libyamlLoadOnly(bytes) > 0)
  return milliseconds(clock.now - start)
}

// Interleaved, and in alternating order, so that machine noise and the allocator state
// one side leaves behind hit both sides alike.
for round in 0..<rounds {
  if round % 2 == 0 {
    ours.append(measureOurs(bytes))
    baseline.append(measureBaseline(bytes))
  } else {
    baseline.append(measureBaseline(bytes))
    ours.append(measureOurs(bytes))
  }
}

let ourMedian = median(ours)
let baselineMedian = median(baseline)
let ratio = ourMedian / baselineMedian
let peak = peakResidentMegabytes()
func format(_ value: Double) -> String {
  let rounded = (value * 10).rounded() / 10
  return String(rounded)
}

print("libyaml yaml_parser_load alone:   median \(format(baselineMedian)) ms over \(rounds) runs")
print("mktopo load + validate:           median \(format(ourMedian)) ms over \(rounds) runs")
print(
  "ratio (target <= 1.5):            \(String((ratio * 100).rounded() / 100))  \(ratio <= 1.5 ? "ok" : "OVER TARGET")"
)
print(
  "peak resident memory (target < 100 MB): \(format(peak)) MB  \(peak < 100 ? "ok" : "OVER TARGET")"
)
