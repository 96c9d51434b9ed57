import MembershipCore

/// Expands `{name}` and `{address}` in the argv a topology file writes.
///
/// The loader has already refused any other placeholder. Expansion is plain text
/// substitution inside each element, never shell parsing, so `--host={address}` works
/// and nothing in a name or address can split an argument.
enum CommandTemplate {
  static func expand(_ argv: [String], name: String, address: String) -> [String] {
    argv.map { element in
      guard element.contains("{") else { return element }
      return element.replacing("{name}", with: name).replacing("{address}", with: address)
    }
  }

  /// Expands for `node`; a node written without an address (only possible for
  /// `state: absent`) uses its name, which ssh may resolve through ~/.ssh/config.
  static func expand(_ argv: [String], for node: NodeSpec) -> [String] {
    expand(argv, name: node.name, address: node.address?.description ?? node.name)
  }
}
