/// The text of `microk8s-sim --help` and `microk8s-sim faults`.
enum SimulatorHelp {
  static let text = """
    microk8s-sim: a simulated MicroK8s cluster, for tests and demos.

    Usage:
      microk8s-sim --state DIR init --host ADDRESS=HOSTNAME[:TRACK|:bare] [--host ...]
      microk8s-sim --state DIR --host ADDRESS MICROK8S-ARGUMENTS...
      microk8s-sim --state DIR MICROK8S-ARGUMENTS...      (host from SSH_CONNECTION)
      microk8s-sim --state DIR host ADDRESS ACTION
      microk8s-sim --state DIR fault ADDRESS VERB ERROR [--times N | --always]
      microk8s-sim --state DIR fault clear [ADDRESS]
      microk8s-sim --state DIR settings [NAME=DURATION ...]
      microk8s-sim --state DIR pod add NAMESPACE/NAME --on NODE [--app APP]
                   [--daemonset | --naked] [--emptydir]
      microk8s-sim --state DIR pdb add NAMESPACE/NAME --on NODE --app APP --min-available N
      microk8s-sim --state DIR pdb delete NAMESPACE/NAME --on NODE
      microk8s-sim --state DIR show
      microk8s-sim faults
      microk8s-sim --help

    The world lives in DIR/world.json, updated under an exclusive lock (DIR/world.lock),
    so concurrent commands are safe. MICROK8S_SIM_STATE may stand in for --state.

    init           creates (or replaces) a world of fresh standalone hosts, each running
                   and Ready. TRACK defaults to 1.28 (e.g. 1.32, 1.30-strict, 1.29/edge);
                   :bare is a machine without MicroK8s (every microk8s command: command
                   not found, exit 127) until `snap install` runs there.
    --host ADDRESS runs MICROK8S-ARGUMENTS as `microk8s` on that host: add-node, join,
                   leave, remove-node, status, kubectl, version, start, stop; and
                   `snap install microk8s --classic --channel=TRACK/RISK` or `snap
                   refresh microk8s --channel=TRACK/RISK` as the host's snap (an install
                   is a fresh standalone node, Ready after ready-delay; a refresh
                   restarts the kubelet on the new version). Without
                   --host the host is the server address (3rd field) of SSH_CONNECTION,
                   so the binary can stand behind a real sshd.
    host           ACTION is one of: down | up | stop | start | low-memory |
                   enough-memory | reinstall | refresh TRACK | unresolvable |
                   resolvable (its hostname, as the join agent checks it up to
                   1.27) | lead (its datastore member, a voter, wins the raft
                   election: the voter kept when roles shrink). A down host fails every
                   command with exit 255, like an unreachable ssh host; its Node stays
                   Ready for node-monitor-grace, then turns Unknown; its datastore
                   member stays listed, offline at once.
    fault          injects one failure from the catalogue for commands with VERB (a
                   MicroK8s subcommand, or `any` for host-wide faults) on that host; it
                   fires once unless --times N or --always. `microk8s-sim faults` lists
                   every ERROR name. Join faults go on the joining host.
    settings       ready-delay (default 0s): a node reports NotReady for this long
                   after it joins or restarts; rebalance-delay (default 30s, dqlite's
                   tick): the leader adjusts roles this long after a change (a joiner
                   promotes itself at once); node-monitor-grace (default 40s): a Node
                   stays Ready this long after its host goes down or stops.
                   DURATION: 0, 500ms, 2s, 1m; at most 60m. Prints the settings.
    pod            a Running pod on the Kubernetes node NODE, for `kubectl drain`:
                   owned by a ReplicaSet (evicted, then replaced on another schedulable
                   Ready node, Ready 5s later), a DaemonSet, or nothing (--naked);
                   --emptydir gives it local storage. `kubectl cordon`, `uncordon`
                   and `drain NODE [--ignore-daemonsets] [--delete-emptydir-data]
                   [--force] [--timeout=D]` act on them as upstream kubectl does.
    pdb            a PodDisruptionBudget with minAvailable over the pods of one app, in
                   the datastore holding NODE: an eviction that would leave fewer Ready
                   pods is refused, and drain retries it every 5s until its timeout.
                   Adding one of an existing name replaces it.
    show           prints the world as JSON (join tokens are never shown).

    Exit codes of the simulator's own commands: 0 done, 64 usage, 65 unreadable state,
    66 no world yet, 74 I/O error. MicroK8s commands exit as MicroK8s does.

    """

  /// One line per fault: name, verbs, what it simulates, and the section of
  /// docs/microk8s-behaviour.md that explains it.
  static func faultTable() -> String {
    let rows = FaultKind.allCases.map { kind in
      let all = kind.verbs.count == MicroK8sVerb.allCases.count
      let names = all ? [] : kind.verbs.map(\.rawValue)
      let verbs = (names + (kind.acceptsAnyVerb ? ["any"] : [])).joined(separator: ",")
      return [kind.rawValue, verbs, kind.summary, kind.behaviourSection]
    }
    let header = ["FAULT", "VERBS", "SIMULATES", "SEE docs/microk8s-behaviour.md"]
    return World.table(header: header, rows: rows).joined(separator: "\n") + "\n"
  }
}
