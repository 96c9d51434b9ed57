import CLibYAML
import Glibc
import MembershipCore

/// Loads and validates a generated topology and compares it, in the same run, with
/// libyaml's `yaml_parser_load` alone on the same bytes.
///
/// Targets: load + validate within 1.5x of the libyaml load alone; peak memory < 100 MB.
enum LoadBenchmark {
  /// A realistic topology: mixed and worker nodes, some with their own connection.
  static func generateTopology(nodes: Int) -> [UInt8] {
    var text =
      "# yaml-language-server: $schema=../schema/topology.schema.json\n"
      + topologyHeader(maxRemovals: 3)
    for index in 0..<nodes {
      text += "  - name: node-\(index)\n"
      text += "    address: 10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)\n"
      text += "    role: \(index < 5 ? "mixed" : "worker")\n"
      if index % 10 == 0 { text += "    version: \"1.28/stable\"\n" }
      if index % 7 == 0 { text += "    connection: { user: admin, port: 2222 }\n" }
    }
    return Array(text.utf8)
  }

  static func libyamlLoadOnly(_ bytes: [UInt8]) -> Int {
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

  /// Runs the comparison and prints it; false when the generated file does not load.
  static func run(nodeCount: Int, rounds: Int) -> Bool {
    let bytes = generateTopology(nodes: nodeCount)
    print("topology: \(nodeCount) nodes, \(bytes.count) bytes")

    // Warm up both paths once and check that the generated file really is valid.
    let warm = TopologyLoader.load(bytes, file: "bench.yaml")
    guard let topology = warm.topology, topology.nodes.count == nodeCount else {
      print("generated topology did not load: \(warm.diagnostics.prefix(3))")
      return false
    }
    _ = libyamlLoadOnly(bytes)

    func measureOurs() -> Double {
      timed {
        let load = TopologyLoader.load(bytes, file: "bench.yaml")
        precondition(load.topology?.nodes.count == nodeCount)
      }
    }
    func measureBaseline() -> Double {
      timed { precondition(libyamlLoadOnly(bytes) > 0) }
    }

    // Interleaved, and in alternating order, so that machine noise and the allocator
    // state one side leaves behind hit both sides alike.
    var ours: [Double] = []
    var baseline: [Double] = []
    for round in 0..<rounds {
      if round % 2 == 0 {
        ours.append(measureOurs())
        baseline.append(measureBaseline())
      } else {
        baseline.append(measureBaseline())
        ours.append(measureOurs())
      }
    }

    let ourMedian = median(ours)
    let baselineMedian = median(baseline)
    let ratio = ourMedian / baselineMedian
    let peak = peakResidentMegabytes()
    print(
      "libyaml yaml_parser_load alone:   median \(format(baselineMedian)) ms over \(rounds) runs"
    )
    print("mktopo load + validate:           median \(format(ourMedian)) ms over \(rounds) runs")
    print(
      "ratio (target <= 1.5):            \(format2(ratio))  \(ratio <= 1.5 ? "ok" : "OVER TARGET")"
    )
    print(
      "peak resident memory (target < 100 MB): \(format(peak)) MB  "
        + (peak < 100 ? "ok" : "OVER TARGET")
    )
    return true
  }
}
