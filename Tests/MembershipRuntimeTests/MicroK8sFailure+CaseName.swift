import MembershipCore

extension MicroK8sFailure {
  /// The case's name, to compare with a table of expected failures.
  var caseName: String {
    switch self {
    case .nodeNotRegistered: "nodeNotRegistered"
    case .drainRefused: "drainRefused"
    case .notInstalled: "notInstalled"
    case .sudoPasswordRequired: "sudoPasswordRequired"
    case .insufficientPermissions: "insufficientPermissions"
    case .needsRoot: "needsRoot"
    case .stopped: "stopped"
    case .workerNode: "workerNode"
    case .unknownSubcommand: "unknownSubcommand"
    case .usageRejected: "usageRejected"
    case .lowMemory: "lowMemory"
    case .apiServerUnavailable: "apiServerUnavailable"
    case .crashed: "crashed"
    case .freshInstallRequired: "freshInstallRequired"
    case .tokenRejected: "tokenRejected"
    case .tokenMismatch: "tokenMismatch"
    case .utilityFailed: "utilityFailed"
    case .invalidJoinAddress: "invalidJoinAddress"
    case .fingerprintMismatch: "fingerprintMismatch"
    case .agentUnreachable: "agentUnreachable"
    case .agentConnectionFailed: "agentConnectionFailed"
    case .agentDatastoreUnavailable: "agentDatastoreUnavailable"
    case .invalidToken: "invalidToken"
    case .notHighAvailability: "notHighAvailability"
    case .agentPortMismatch: "agentPortMismatch"
    case .joiningItself: "joiningItself"
    case .hostnameDoesNotResolve: "hostnameDoesNotResolve"
    case .alreadyKnownToDatastore: "alreadyKnownToDatastore"
    case .datastoreBindAddressNotFound: "datastoreBindAddressNotFound"
    case .versionMismatch: "versionMismatch"
    case .joinRefused: "joinRefused"
    case .workerJoinUnsupported: "workerJoinUnsupported"
    case .certificateSigningFailed: "certificateSigningFailed"
    case .onlyVoter: "onlyVoter"
    case .notClustered: "notClustered"
    case .datastoreRemovalFailed: "datastoreRemovalFailed"
    case .datastoreWithoutLeader: "datastoreWithoutLeader"
    case .notPartOfCluster: "notPartOfCluster"
    case .registeredWithDatastore: "registeredWithDatastore"
    case .nodeNotReady: "nodeNotReady"
    case .duplicateHostname: "duplicateHostname"
    case .malformed: "malformed"
    case .unrecognised(let exit, let stdout, let stderr):
      "unrecognised(\(exit)): \(stdout) \(stderr)"
    }
  }
}
