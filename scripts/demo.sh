#!/usr/bin/env bash
# `make demo`: validate the examples, then observe, plan and apply a simulated cluster.
# Usage: scripts/demo.sh BIN_DIR   (the directory holding mktopo and microk8s-sim)
set -euo pipefail
bin=$1
export PATH="$bin:$PATH"
world=$(mktemp -d "${TMPDIR:-/tmp}/mktopo-demo.XXXXXX")
trap 'rm -rf "$world"' EXIT
export MICROK8S_SIM_STATE="$world/world"
state=(--state-dir "$world/state")

step() {
  echo
  echo "==> $1"
  shift
  for line in "$@"; do echo "    $line"; done
}

step "mktopo validate --summary examples/three-node-ha.yaml" \
  "Load one topology file, check it, and show its nodes."
mktopo validate --summary examples/three-node-ha.yaml

step "mktopo validate examples/*.yaml" \
  "Check every example; one line per valid file, compiler-style errors otherwise."
mktopo validate examples/*.yaml

step "microk8s-sim init --host 192.168.1.10=node1 ... --host 192.168.1.20=worker1:bare" \
  "A simulated world: the four hosts of the add-node guide, three of them a" \
  "standalone MicroK8s 1.28, and worker1 a bare machine without MicroK8s (the" \
  "addresses are names inside the simulator)."
microk8s-sim init --host 192.168.1.10=node1 --host 192.168.1.11=node2 \
  --host 192.168.1.12=node3 --host 192.168.1.20=worker1:bare

step "mktopo status -f examples/simulated-lab.yaml" \
  "Observe the cluster through the topology's nodes: node1 answers as a one-node" \
  "cluster, node2 and node3 are standalone and not joined yet, worker1 has no MicroK8s."
mktopo status -f examples/simulated-lab.yaml "${state[@]}"

step "mktopo plan -f examples/simulated-lab.yaml" \
  "What it takes to make the cluster match the file, one node at a time: worker1" \
  "gets MicroK8s from the cluster's track (snap install) before its join."
mktopo plan -f examples/simulated-lab.yaml "${state[@]}"

step "mktopo observe -f examples/simulated-lab.yaml --out observed.json" \
  "The same observation saved as a snapshot, for planning later or elsewhere (e.g." \
  "in CI for a pull request) with 'mktopo plan --observed observed.json':"
mktopo observe -f examples/simulated-lab.yaml --out "$world/observed.json" "${state[@]}" \
  2>/dev/null
sed -n '1,12p' "$world/observed.json"
echo "    ..."
mktopo plan -f examples/simulated-lab.yaml --observed "$world/observed.json" | tail -n 1 || true

step "microk8s-sim settings ready-delay=1s rebalance-delay=1s" \
  "Joined nodes stay NotReady for a second and roles settle a second after a change," \
  "as on real machines (only faster): apply waits for what it asked for."
microk8s-sim settings ready-delay=1s rebalance-delay=1s >/dev/null

step "mktopo apply -f examples/simulated-lab.yaml --auto-approve" \
  "One change at a time: a fresh token for every join, then a wait until the node is" \
  "Ready (and, for mixed nodes, a datastore member), observing the cluster again after" \
  "each change; worker1 is installed and waited for before it joins."
mktopo apply -f examples/simulated-lab.yaml --auto-approve "${state[@]}"

step "mktopo status -f examples/simulated-lab.yaml" \
  "Three voters (highly available), the worker Ready."
mktopo status -f examples/simulated-lab.yaml "${state[@]}"

step "mktopo plan -f examples/simulated-lab.yaml" \
  "Nothing edited, so nothing to do."
mktopo plan -f examples/simulated-lab.yaml "${state[@]}"
