/// What each failure means and what to do about it, in words for the operator.
extension MicroK8sFailure {
  /// One sentence: what went wrong.
  public var summary: String {
    switch self {
    case .notInstalled: "MicroK8s is not installed on the host."
    case .sudoPasswordRequired:
      "sudo asked for a password; mktopo runs 'sudo -n' without a terminal."
    case .insufficientPermissions: "The user may not access MicroK8s (insufficient permissions)."
    case .needsRoot: "This MicroK8s (strict confinement) only runs cluster commands as root."
    case .stopped: "MicroK8s is stopped on the host."
    case .workerNode(let command):
      "The host is a worker node; 'microk8s \(command)' only runs on a control-plane node."
    case .unknownSubcommand(let name): "This MicroK8s has no '\(name)' command."
    case .usageRejected(let detail): "MicroK8s rejected the command's arguments: \(detail)"
    case .lowMemory:
      "The host does not have enough RAM for the control plane (512 MiB or less at install)."
    case .apiServerUnavailable(let detail): "The Kubernetes API did not answer: \(detail)"
    case .crashed(let detail): "A MicroK8s script crashed: \(detail)"
    case .freshInstallRequired:
      "The node's certificates were made for 127.0.0.1; clustering needs a fresh install."
    case .tokenRejected: "add-node rejected the join token (MicroK8s wants 32 characters)."
    case .tokenMismatch: "add-node printed a different token from the one requested."
    case .utilityFailed: "add-node could not determine the node's addresses."
    case .invalidJoinAddress(let reason): "join rejected the join address: \(reason)."
    case .fingerprintMismatch(let contact):
      "The certificate of \(contact):25000 does not match the fingerprint add-node gave."
    case .agentUnreachable(let contact, let detail):
      "The cluster agent on \(contact.map { "\($0):25000" } ?? "port 25000") could not be "
        + "reached: \(detail)"
    case .agentConnectionFailed(let detail): "The connection to the cluster agent failed: \(detail)"
    case .agentDatastoreUnavailable(let detail):
      "The cluster agent could not read its datastore: \(detail)"
    case .invalidToken: "The cluster rejected the join token as invalid, expired or used."
    case .notHighAvailability: "The contact node does not run the HA datastore (ha-cluster)."
    case .agentPortMismatch(let detail): "The cluster agent ports differ: \(detail)"
    case .joiningItself(let address):
      "The joining node connected from \(address), the contact's own address."
    case .hostnameDoesNotResolve(let hostname, let address):
      "The contact cannot resolve the joining node's hostname \(hostname) to \(address)."
    case .alreadyKnownToDatastore(let address):
      "\(address) is still a datastore member (a ghost left by an earlier join or removal)."
    case .datastoreBindAddressNotFound(let detail):
      "The contact could not bind its datastore to the dialled address: \(detail)"
    case .versionMismatch(let expected, let found):
      "The node runs MicroK8s \(found.map { $0.track } ?? "of another track"); "
        + "the cluster needs \(expected.track)."
    case .joinRefused(let status, let message):
      "The cluster refused the join (HTTP \(status))" + (message.isEmpty ? "." : ": \(message)")
    case .workerJoinUnsupported:
      "The worker join got control-plane credentials, or the cluster cannot take workers."
    case .certificateSigningFailed(let detail):
      "The worker's client certificates could not be signed: \(detail)"
    case .onlyVoter:
      "The node holds the only copy of the datastore (sole voter), so it cannot leave."
    case .notClustered: "The node is not part of a cluster; there is nothing to leave."
    case .datastoreRemovalFailed(let endpoint):
      "Removing the member from the datastore failed when MicroK8s asked \(endpoint) to do it."
    case .datastoreWithoutLeader:
      "The datastore has no leader (dqlite: no available dqlite leader server found), so a "
        + "majority of its voters is down and nothing can be changed; MicroK8s misreported "
        + "the node as missing from Kubernetes."
    case .notPartOfCluster(let name):
      "Node \(name) has no InternalIP; it is not part of the cluster."
    case .registeredWithDatastore(let name):
      "Node \(name) is still a datastore member; remove-node refuses it without --force."
    case .nodeNotReady(let name): "Node \(name) is not Ready."
    case .nodeNotRegistered(let name): "Kubernetes has no node named \(name)."
    case .snapdMissing: "The host has no snap command: snapd is not installed."
    case .snapNotPermitted:
      "snap may not install or refresh MicroK8s here: sudo asks for a password, or snapd "
        + "denied the user."
    case .snapChannelMissing(let channel): "The microk8s snap has no channel \(channel)."
    case .drainRefused(let node, let refusal):
      "kubectl drain could not empty node \(node): "
        + refusal.clauses.joined(separator: "; ") + "."
    case .duplicateHostname(let name, let address):
      "Another machine\(address.map { " (\($0))" } ?? "") is already registered as node \(name)."
    case .malformed(let what, let problem): "Unexpected \(what): \(problem)"
    case .unrecognised(let exit, let stdout, let stderr):
      "MicroK8s exited with status \(exit) and printed output mktopo does not recognise"
        + Self.streams(stdout: stdout, stderr: stderr)
    }
  }

  /// What a person can do about it; `<track>` stands for the cluster's track.
  public var remedy: String { remedy(track: nil) }

  /// What a person can do about it, with the install and refresh commands for `track`.
  public func remedy(track: Track?) -> String {
    let channel = track?.channel ?? "<track>/stable"
    switch self {
    case .notInstalled:
      return "Install it: sudo snap install microk8s --classic --channel=\(channel)"
    case .sudoPasswordRequired:
      return "Allow the ssh user passwordless sudo for /snap/bin/microk8s (a sudoers.d "
        + "entry), or add it to the microk8s group and drop sudo from the node's "
        + "'microk8s:' command."
    case .insufficientPermissions:
      return "Run 'sudo usermod -a -G microk8s $USER' on the host and log in again, or "
        + "run MicroK8s through 'sudo -n' (the default 'microk8s:' command)."
    case .needsRoot:
      return "Run MicroK8s through 'sudo -n' (the default 'microk8s:' command)."
    case .stopped:
      return "Start it on the host: sudo microk8s start"
    case .workerNode:
      return "Run it on a control-plane node of the cluster; if the topology lists this "
        + "node as mixed, it has to leave and rejoin as one."
    case .unknownSubcommand:
      return "Refresh MicroK8s to a supported track: sudo snap refresh microk8s "
        + "--channel=\(channel)"
    case .usageRejected:
      return "This is a mktopo bug; please report it with this message."
    case .lowMemory:
      return "Give the host more than 512 MiB of RAM and reinstall MicroK8s, or make it a "
        + "worker ('role: worker'); see \(BehaviourSection.lowMemoryGuard.citation)."
    case .apiServerUnavailable:
      return "Retried automatically. If it persists, run 'microk8s inspect' on the node and "
        + "check that the datastore has a majority of its voters up."
    case .crashed:
      return "Run 'sudo microk8s inspect' on the node and look at the report."
    case .freshInstallRequired:
      return "Reinstall MicroK8s on the node: sudo snap remove microk8s && sudo snap install "
        + "microk8s --classic --channel=\(channel)"
    case .tokenRejected, .tokenMismatch:
      return "This is a mktopo bug; please report it with this message."
    case .utilityFailed:
      return "Retried automatically. If it persists, check the node's network interfaces "
        + "and default route."
    case .invalidJoinAddress:
      return "Use the contact's IPv4 address in the topology (MicroK8s 1.29+ rejects "
        + "hostnames and IPv6 join addresses); see \(BehaviourSection.joinAddresses.citation)."
    case .fingerprintMismatch:
      return "Retried with fresh tokens until policy.joinTimeout (the certificate changes "
        + "while MicroK8s regenerates it). If it persists, check that the contact's address "
        + "in the topology belongs to the contact node and not to another machine or a proxy."
    case .agentDatastoreUnavailable:
      return "Retried with fresh tokens until policy.joinTimeout (an agent that has just "
        + "restarted needs a moment). If it persists, check that a majority of the "
        + "datastore's voters is up and run 'microk8s status' on the contact; see "
        + "\(BehaviourSection.quorum.citation)."
    case .agentUnreachable:
      return "Retried with a fresh token. If it persists, check that the cluster agent runs "
        + "on the contact ('sudo snap services microk8s') and that the joining node can "
        + "reach TCP port 25000 on it (firewall: 'sudo ufw allow 25000/tcp')."
    case .agentConnectionFailed:
      return "Retried with a fresh token. If it persists, restart the cluster agent on the "
        + "contact: sudo snap restart microk8s.daemon-cluster-agent"
    case .invalidToken:
      return "Mint a new token; retries do this automatically. If it keeps happening, "
        + "raise policy.tokenTTL (the contact's clock decides expiry); see "
        + "\(BehaviourSection.singleUseTokens.citation)."
    case .notHighAvailability:
      return "Enable the HA datastore on the contact: sudo microk8s enable ha-cluster"
    case .agentPortMismatch:
      return "Make every node's cluster agent listen on port 25000 ('--bind "
        + "0.0.0.0:25000' in /var/snap/microk8s/current/args/cluster-agent)."
    case .joiningItself:
      return "The joining node and the contact share an address: check both 'address:' "
        + "values in the topology and any NAT between them."
    case .hostnameDoesNotResolve(let hostname, let address):
      return "On the contact, make \(hostname) resolve to \(address) (for example a line "
        + "'\(address) \(hostname)' in /etc/hosts)."
    case .alreadyKnownToDatastore(let address):
      return "On a cluster member run 'sudo microk8s remove-node \(address) --force', or "
        + "set policy.cleanupGhosts: true and let mktopo do it; see "
        + "\(BehaviourSection.ghosts.citation)."
    case .datastoreBindAddressNotFound:
      return "The contact's 'address:' in the topology must be on one of the contact's own "
        + "network interfaces."
    case .versionMismatch(let expected, _):
      return "Refresh the node to the cluster's track: sudo snap refresh microk8s "
        + "--channel=\(expected.channel) (see \(BehaviourSection.versionSkew.citation))"
    case .joinRefused:
      return "Read the cluster agent's message above; run 'sudo microk8s inspect' on the "
        + "contact for its logs."
    case .workerJoinUnsupported:
      return "Join workers to a cluster on MicroK8s 1.23 or later, with '--worker' only."
    case .certificateSigningFailed:
      return "Retried with a fresh token. If it persists, check the cluster agent on the "
        + "contact."
    case .onlyVoter:
      return "Remove the other nodes first, or grow the cluster to three control-plane "
        + "nodes so that the datastore has more voters; see "
        + "\(BehaviourSection.onlyVoter.citation)."
    case .notClustered:
      return "Nothing to do on this node; remove its Node object from a member if one is left."
    case .datastoreRemovalFailed:
      return "Retried automatically. If it persists, check that the datastore has a "
        + "majority of its voters up."
    case .datastoreWithoutLeader:
      return "Bring the datastore's voters back until a majority is up (or follow MicroK8s's "
        + "restore-quorum procedure), then apply again; see "
        + "\(BehaviourSection.quorum.citation)."
    case .notPartOfCluster:
      return "Check the node with 'microk8s kubectl get node -o wide' on a member."
    case .registeredWithDatastore:
      return "Run 'microk8s leave' on the node first; if it is gone for good, remove it "
        + "with --force (see \(BehaviourSection.removeNode.citation))."
    case .nodeNotReady:
      return "Retried automatically. If it persists, run 'sudo microk8s inspect' on the node."
    case .nodeNotRegistered:
      return "Check the node with 'microk8s kubectl get nodes' on a member."
    case .snapdMissing:
      return "Install snapd on the host ('sudo apt install snapd' on Debian and Ubuntu), then "
        + "apply again; or install MicroK8s by hand: sudo snap install microk8s --classic "
        + "--channel=\(channel) (see \(BehaviourSection.installing.citation))."
    case .snapNotPermitted:
      return "Allow the connection's user passwordless sudo for snap (a sudoers.d entry for "
        + "/usr/bin/snap), or give the node a 'snap:' command that may; or install MicroK8s "
        + "by hand: sudo snap install microk8s --classic --channel=\(channel) (see "
        + "\(BehaviourSection.installing.citation))."
    case .snapChannelMissing:
      return "Check the topology's version: a MicroK8s track that is published, such as "
        + "1.30."
    case .drainRefused(_, let refusal):
      return refusal.advice + " Then run apply again; policy.drain: false removes nodes "
        + "without draining them (see \(BehaviourSection.draining.citation))."
    case .duplicateHostname:
      return "Give every machine a unique hostname ('sudo hostnamectl set-hostname NAME'); "
        + "node names must match the topology (see "
        + "\(BehaviourSection.duplicateHostnames.citation))."
    case .malformed, .unrecognised:
      return "Check the MicroK8s version on the node; if it is supported, please report "
        + "this output."
    }
  }

  private static func streams(stdout: String, stderr: String) -> String {
    var text = ""
    if !stdout.isEmpty { text += "\nstdout:\n" + stdout }
    if !stderr.isEmpty { text += "\nstderr:\n" + stderr }
    return text.isEmpty ? " (no output)." : ":" + text
  }
}
