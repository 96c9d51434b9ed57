/// `nodes:` entries and `connection:` blocks.
extension TopologyDecoder {
  /// Words operators bring from other tools, mapped to the role mktopo means.
  static let roleAliases: [String: Role] = [
    "master": .mixed, "control-plane": .mixed, "controlplane": .mixed, "server": .mixed,
    "controller": .mixed, "agent": .worker, "node": .worker,
  ]

  mutating func decodeNode(_ node: YAMLNode, index: Int, buffer: inout [Entry]) -> NodeDraft? {
    guard node.kind == .mapping else {
      error(
        "each entry of 'nodes' must be a mapping with name and address, found \(node.noun)",
        at: node.position
      )
      return nil
    }
    var draft = NodeDraft()
    draft.positions.node = node.position
    var hasAddressKey = false
    entries(of: node, allowed: Self.nodeKeys, in: "a node", into: &buffer)
    let suggested = suggestedKeys
    for entry in buffer {
      let position = entry.value.position
      switch entry.key {
      case "name":
        draft.positions.name = position
        if entry.value.kind == .scalar { draft.nameText = entry.value.string }
        draft.name = label(entry.value, "nodes[\(index)].name", what: "node name")
      case "address":
        hasAddressKey = true
        draft.positions.address = position
        draft.address = address(entry.value, "nodes[\(index)].address")
      case "role":
        draft.positions.role = position
        draft.role = choice(
          entry.value,
          "nodes[\(index)].role",
          as: Role.self,
          aliases: Self.roleAliases
        )
        if draft.role == nil { self.draft.rolesUncertain = true }
      case "version":
        draft.positions.version = position
        draft.version = track(entry.value, "nodes[\(index)].version")
      case "state":
        draft.positions.state = position
        draft.state = choice(
          entry.value,
          "nodes[\(index)].state",
          as: NodeState.self,
          aliases: ["removed": .absent, "deleted": .absent, "gone": .absent]
        )
        if draft.state == nil { self.draft.rolesUncertain = true }
      case "connection":
        draft.positions.connection = position
        // The node is appended next, so its index in the draft is the current count.
        self.draft.nodeConnections[self.draft.nodes.count] = connection(
          entry.value,
          "nodes[\(index)].connection"
        )
      case "microk8s":
        draft.positions.microk8s = position
        draft.microk8s = argv(entry.value, "nodes[\(index)].microk8s")
      case "snap":
        draft.snap = argv(entry.value, "nodes[\(index)].snap")
      default: break
      }
    }
    if draft.positions.name == nil, !suggested.contains("name") {
      error("node is missing required key 'name'", at: node.position)
    }
    if !hasAddressKey, draft.effectiveState == .present, !suggested.contains("address") {
      let name = draft.name.map { " '\($0)'" } ?? ""
      error("node\(name) is missing required key 'address'", at: node.position)
    }
    return draft
  }

  private mutating func address(_ node: YAMLNode, _ path: @autoclosure () -> String) -> NodeAddress?
  {
    // The common case, a plain dotted quad, is read straight from libyaml's bytes.
    if node.kind == .scalar, node.scalarKind == .string,
      let value = NodeAddress.parseIPv4(node.scalarBytes)
    {
      return checked(.ipv4(value), at: node)
    }
    guard let text = string(node, path()) else { return nil }
    guard let address = NodeAddress.parse(text) else {
      error("invalid address \(text.shown): \(addressProblem(text))", at: node.position)
      return nil
    }
    return checked(address, at: node)
  }

  /// Refuses the unspecified address and warns about ones MicroK8s cannot join with.
  private mutating func checked(_ address: NodeAddress, at node: YAMLNode) -> NodeAddress? {
    if address.isUnspecified {
      error("invalid address \(node.string.shown): \(Self.unspecifiedProblem)", at: node.position)
      return nil
    }
    if address.isIPv6 {
      warning(
        "\(node.string.shown) is an IPv6 address; MicroK8s 1.29 and later reject IPv6 join addresses",
        at: node.position
      )
    } else if address.isLoopback {
      warning(
        "\(node.string.shown) is a loopback address; other nodes cannot reach it (fine for tests only)",
        at: node.position
      )
    }
    return address
  }

  static let unspecifiedProblem =
    "the unspecified address means \"any\"; write the address the cluster reaches the node at"

  private func addressProblem(_ text: String) -> String {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    if !text.contains(":"), parts.count == 4 {
      if parts.contains(where: { $0.count > 1 && $0.hasPrefix("0") && $0.allSatisfy(\.isNumber) }) {
        return
          "leading zeros are ambiguous (some tools read them as octal); write each part plainly"
      }
      // By digit count first: a part of twenty digits is too large for `Int` as well.
      if parts.contains(where: {
        $0.allSatisfy { $0.isASCII && $0.isNumber } && ($0.count > 3 || (Int($0) ?? 0) > 255)
      }) {
        return "each part of an IPv4 address is at most 255"
      }
    }
    if text.contains("/") { return "write the address without a prefix length" }
    if text.contains("%") { return "IPv6 zone indexes are not supported" }
    return "expected an IPv4 address such as 192.168.1.10 (or an IPv6 address)"
  }

  mutating func connection(_ node: YAMLNode, _ path: @autoclosure () -> String) -> ConnectionDraft {
    var draft = ConnectionDraft()
    guard expectMapping(node, path()) else { return draft }
    for entry in entries(of: node, allowed: Self.connectionKeys, in: "'\(path())'") {
      let value = entry.value
      draft.positions.record(entry.key, at: value.position)
      switch entry.key {
      case "type": draft.type = choice(value, path() + "." + entry.key, as: ConnectionType.self)
      case "user":
        if let user = string(value, path() + "." + entry.key) {
          if NameRules.isUser(user) {
            draft.user = user
          } else {
            error(
              "invalid user \(user.shown) in '\(path()).\(entry.key)': expected a login name of letters, digits, "
                + "'_', '.' and '-', starting with a letter or '_'",
              at: value.position
            )
          }
        }
      case "port": draft.port = integer(value, path() + "." + entry.key, in: 1...65535)
      case "identityFile": draft.identityFile = nonEmptyString(value, path() + "." + entry.key)
      case "knownHostsFile": draft.knownHostsFile = nonEmptyString(value, path() + "." + entry.key)
      case "proxyJump":
        if let jump = string(value, path() + "." + entry.key) {
          if NameRules.isProxyJump(jump) {
            draft.proxyJump = jump
          } else {
            error(
              "invalid proxyJump \(jump.shown) in '\(path()).\(entry.key)': expected [user@]host[:port], "
                + "comma-separated for several hops",
              at: value.position
            )
          }
        }
      case "hostKeyChecking":
        draft.hostKeyChecking = hostKeyChecking(value, path() + "." + entry.key)
      case "command":
        draft.commandWritten = true
        draft.command = argv(value, path() + "." + entry.key)
      default: break
      }
    }
    return draft
  }

  private mutating func hostKeyChecking(
    _ node: YAMLNode,
    _ path: @autoclosure () -> String
  ) -> HostKeyChecking? {
    let disabling = ["off", "no", "false", "none", "ignore", "disabled", "insecure"]
    if node.kind == .scalar, disabling.contains(node.string.lowercased()) {
      error(
        "host key checking cannot be turned off ('\(path())': \(node.string.shown)); use 'strict' "
          + "(the default) or 'accept-new' to trust a host's key on first contact",
        at: node.position
      )
      return nil
    }
    let value = choice(node, path(), as: HostKeyChecking.self)
    if value == .acceptNew {
      warning(
        "'accept-new' trusts any host key on first contact; prefer 'strict' with a prepared "
          + "known_hosts file",
        at: node.position
      )
    }
    return value
  }
}
