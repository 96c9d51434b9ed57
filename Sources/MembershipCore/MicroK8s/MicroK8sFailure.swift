/// Every MicroK8s failure mktopo recognises, from the contract's catalogue
/// (microk8s-contract.md sections 1 to 5 and 11).
///
/// Each case has a `summary` (what happened) and a `remedy` (what a person can do about
/// it), and is either transient (retrying, with a fresh join token, may succeed) or
/// terminal. Texts taken from command output are redacted when the failure is made and
/// again when it is shown: a failure never carries a join token.
public enum MicroK8sFailure: Error, Sendable, Equatable {
  // MARK: Any command (contract section 1)

  /// No `microk8s` on the host (exit 127, or sudo found no such command).
  case notInstalled
  /// `sudo -n` needs a password on this host.
  case sudoPasswordRequired
  /// The user can run `microk8s` but may not read its credentials.
  case insufficientPermissions
  /// A strictly confined snap insists on root.
  case needsRoot
  /// MicroK8s was stopped with `microk8s stop`.
  case stopped
  /// This host is a worker; `command` only runs on a control-plane node.
  case workerNode(command: String)
  /// This MicroK8s does not have the subcommand (too old a version).
  case unknownSubcommand(String)
  /// MicroK8s refused the arguments mktopo passed: a mktopo bug.
  case usageRejected(detail: String)
  /// The host had 512 MiB of RAM or less at install time: control plane refused.
  case lowMemory
  /// The Kubernetes API on the node did not answer (`kubectl` failed to connect).
  case apiServerUnavailable(detail: String)
  /// A MicroK8s script stopped with a Python exception.
  case crashed(detail: String)

  // MARK: add-node (contract section 2)

  /// The node's certificates still name 127.0.0.1: it must be reinstalled to cluster.
  case freshInstallRequired
  /// add-node refused the token mktopo chose (shorter than 32 characters).
  case tokenRejected
  /// add-node printed a token other than the one requested.
  case tokenMismatch
  /// add-node could not work out the node's addresses.
  case utilityFailed

  // MARK: join (contract section 3)

  /// join refused the connection string; `reason` is MicroK8s's own (no token in it).
  case invalidJoinAddress(reason: String)
  /// The address answered with a certificate whose fingerprint is not the minted one.
  case fingerprintMismatch(contact: String)
  /// The cluster agent on the contact could not be reached on port 25000.
  case agentUnreachable(contact: String?, detail: String)
  /// The HTTPS exchange with the cluster agent broke off.
  case agentConnectionFailed(detail: String)
  /// The cluster agent could not read its datastore (`Failed to retrieve dqlite cluster
  /// nodes`, 500): just restarted, or no dqlite leader. Retried with fresh tokens.
  case agentDatastoreUnavailable(detail: String)
  /// The join token was unknown, expired or already used.
  case invalidToken
  /// The contact does not run the HA datastore (dqlite).
  case notHighAvailability
  /// The cluster agents of the two nodes listen on different ports.
  case agentPortMismatch(detail: String)
  /// The joining node connected from the contact's own address.
  case joiningItself(address: String)
  /// The contact could not resolve the joining node's hostname to its address.
  case hostnameDoesNotResolve(hostname: String, address: String)
  /// The joining node's address is still a datastore member (a ghost).
  case alreadyKnownToDatastore(address: String)
  /// The contact's datastore could not move off 127.0.0.1 to the dialled address.
  case datastoreBindAddressNotFound(detail: String)
  /// Nodes run different MicroK8s tracks.
  case versionMismatch(expected: Track, found: Track?)
  /// Any other refusal from the cluster agent (exit 6), with its HTTP status.
  case joinRefused(status: Int, message: String)
  /// A worker join got control-plane credentials (or the cluster cannot take workers).
  case workerJoinUnsupported
  /// A worker could not get its client certificates signed.
  case certificateSigningFailed(detail: String)

  // MARK: leave and remove-node (contract sections 4 and 5)

  /// The node holds the only voter of a datastore that has other members.
  case onlyVoter
  /// leave on a node that is not clustered.
  case notClustered
  /// Removing an endpoint from the datastore failed.
  /// `endpoint` is the member MicroK8s asked to carry the removal out (the message names
  /// the node it contacted, not the one being removed).
  case datastoreRemovalFailed(endpoint: String)
  /// The datastore has no leader: a majority of its voters is down, so nothing can be
  /// read or changed. remove-node then misreports the node as absent from Kubernetes
  /// (upstream `scripts/wrappers/remove_node.py` takes kubectl's failure for NotFound),
  /// with `Error: no available dqlite leader server found` on stderr.
  case datastoreWithoutLeader
  /// remove-node: the Node object has no InternalIP.
  case notPartOfCluster(name: String)
  /// remove-node without `--force` on a node that is still a datastore member.
  case registeredWithDatastore(name: String)

  // MARK: Node maintenance (kubectl cordon, uncordon, drain)

  /// kubectl has no Node of that name (`Error from server (NotFound)`).
  case nodeNotRegistered(name: String)
  /// `kubectl drain` left pods on the node: ones it will not delete, or evictions a
  /// disruption budget refused until the timeout. kubectl leaves the node cordoned.
  case drainRefused(node: String, DrainRefusal)

  // MARK: snap install and refresh (on hosts without MicroK8s, or moving to a track)

  /// No `snap` command on the host: snapd is not installed.
  case snapdMissing
  /// snap refused to act: `sudo -n` wants a password, or snapd denied the user.
  case snapNotPermitted
  /// The microk8s snap has no such channel.
  case snapChannelMissing(channel: String)

  // MARK: Seen by observation, not in any output

  /// A node stayed NotReady past its wait.
  case nodeNotReady(name: String)
  /// Another machine already registered this hostname (MicroK8s prints nothing: two
  /// hosts share one Node object, contract section 11 item 6).
  case duplicateHostname(name: String, registeredAddress: NodeAddress?)

  // MARK: Anything else

  /// Output of a known format that does not hold what the format promises.
  case malformed(what: String, problem: String)
  /// Output mktopo does not recognise; both streams redacted and cut short.
  case unrecognised(exit: Int32, stdout: String, stderr: String)

  /// An `unrecognised` failure for `output`, redacted (also of `secrets`) and cut to a
  /// readable length.
  static func unrecognised(_ output: CommandOutput, secrets: [String] = []) -> MicroK8sFailure {
    .unrecognised(
      exit: output.exitStatus,
      stdout: Redaction.excerpt(output.stdout, secrets: secrets),
      stderr: Redaction.excerpt(output.stderr, secrets: secrets)
    )
  }

  /// Whether the join step itself tries again, with a fresh token and a growing pause,
  /// until `policy.joinTimeout`: failures that pass within a minute or two.
  ///
  /// The contact's certificate changes while its apiservice-kicker regenerates it, so a
  /// fingerprint minted a moment earlier no longer matches (exit 4; charm-microk8s #72),
  /// and an agent that just restarted cannot read its datastore yet
  /// (microk8s-cluster-agent PR #26).
  public var isRetriedAtJoin: Bool {
    switch self {
    case .fingerprintMismatch, .agentDatastoreUnavailable: true
    default: false
    }
  }

  /// Whether retrying the whole change may succeed.
  ///
  /// False for what the join step already retried until `policy.joinTimeout`
  /// (`isRetriedAtJoin`): by then it is no passing condition.
  ///
  /// True when the condition passes by itself (a restarting agent or API, a node still
  /// starting) or a fresh token fixes it. Each join attempt mints a new token, since a
  /// failed join burns a single-use one (contract section 3.4).
  public var isTransient: Bool {
    switch self {
    case .invalidToken, .agentUnreachable, .agentConnectionFailed, .certificateSigningFailed,
      .apiServerUnavailable, .nodeNotReady, .datastoreRemovalFailed, .utilityFailed:
      return true
    case .notInstalled, .sudoPasswordRequired, .insufficientPermissions, .needsRoot, .stopped,
      .workerNode, .unknownSubcommand, .usageRejected, .lowMemory, .crashed,
      .freshInstallRequired, .tokenRejected, .tokenMismatch, .invalidJoinAddress,
      .fingerprintMismatch, .agentDatastoreUnavailable, .notHighAvailability,
      .agentPortMismatch, .joiningItself,
      .hostnameDoesNotResolve, .alreadyKnownToDatastore, .datastoreBindAddressNotFound,
      .versionMismatch, .joinRefused, .workerJoinUnsupported, .onlyVoter, .notClustered,
      .datastoreWithoutLeader,
      .notPartOfCluster, .registeredWithDatastore, .duplicateHostname, .malformed,
      .unrecognised, .nodeNotRegistered, .drainRefused, .snapdMissing, .snapNotPermitted,
      .snapChannelMissing:
      return false
    }
  }
}

extension MicroK8sFailure: CustomStringConvertible {
  /// The summary and the remedy, redacted once more in case a case was built by hand.
  public var description: String { Redaction.redact(summary + " " + remedy) }
}
