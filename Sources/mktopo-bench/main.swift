import Glibc

// `make bench`: first loads and validates a generated 10,000-node topology against
// libyaml's `yaml_parser_load` alone, in this process (LoadBenchmark) and as whole
// processes, `mktopo validate` beside a C program built from bench/libyaml-load.c
// (ProcessLoadBenchmark), then plans generated topologies of
// 1,000, 10,000 and 100,000 nodes against matching observed clusters (PlanBenchmark),
// then converges a simulated cluster with apply's machinery (ApplyBenchmark), last times
// the converged no-op pass of `mktopo reconcile` on 100 simulated nodes, the topology in
// git (ReconcileBenchmark).
//
// Usage: mktopo-bench [NODES [ROUNDS]] [--load-only | --plan-only | --apply-only |
// --reconcile-only] [--plan-sizes=N,N,...] [--bench-sources=DIR]; NODES and ROUNDS
// (default 10000 and 15) size the load benchmarks (the whole-process one runs four times
// the rounds); DIR holds the C programs it builds (default bench, from the repository root).

let arguments = CommandLine.arguments.dropFirst()
let numbers = arguments.filter { !$0.hasPrefix("--") }
let nodeCount = numbers.first.flatMap { Int($0) } ?? 10_000
let rounds = numbers.dropFirst().first.flatMap { Int($0) } ?? 15
let planSizes =
  arguments.first { $0.hasPrefix("--plan-sizes=") }.map { option in
    option.dropFirst("--plan-sizes=".count).split(separator: ",").compactMap { Int($0) }
  } ?? PlanBenchmark.sizes

let benchSources =
  arguments.first { $0.hasPrefix("--bench-sources=") }.map {
    String($0.dropFirst("--bench-sources=".count))
  } ?? "bench"

let only = arguments.first {
  ["--load-only", "--plan-only", "--apply-only", "--reconcile-only"].contains($0)
}
if only == nil || only == "--load-only" {
  guard LoadBenchmark.run(nodeCount: nodeCount, rounds: rounds) else { exit(1) }
  guard
    ProcessLoadBenchmark.run(
      nodeCount: nodeCount,
      rounds: rounds * 4,
      sources: benchSources
    )
  else { exit(1) }
}
if only == nil || only == "--plan-only" {
  guard PlanBenchmark.run(sizes: planSizes) else { exit(1) }
}
if only == nil || only == "--apply-only" {
  guard await ApplyBenchmark.run() else { exit(1) }
}
if only == nil || only == "--reconcile-only" {
  guard await ReconcileBenchmark.run() else { exit(1) }
}
