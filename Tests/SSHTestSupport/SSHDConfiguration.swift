/// The configuration files of the test servers and of their client.
enum SSHDConfiguration {
  /// An sshd_config for one test host: key logins as root only, nothing that needs a
  /// system setup (PAM, strict file modes of /tmp), and room for the bursts of
  /// connections parallel tests make.
  static func server(
    address: String,
    port: Int,
    hostKey: String,
    authorizedKeys: String,
    environment: [String: String],
    marker: String
  ) -> String {
    var lines = [
      "ListenAddress \(address):\(port)",
      "HostKey \(hostKey)",
      "PidFile none",
      "AuthorizedKeysFile \(authorizedKeys)",
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // Keys live below /tmp, which is world-writable.
      "StrictModes no",
      "MaxStartups 100:30:200",
      "MaxSessions 100",
      "AllowTcpForwarding yes",
    ]
    // sshd allows one SetEnv line: later ones are ignored.
    lines.append(
      "SetEnv "
        + ([marker] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        .map(quoted)
        .joined(separator: " ")
    )
    return lines.joined(separator: "\n") + "\n"
  }

  /// An ssh_config that applies to every host.
  static func client(clientKey: String, knownHosts: String) -> String {
    """
    Host *
      User root
      IdentityFile \(quoted(clientKey))
      IdentitiesOnly yes
      UserKnownHostsFile \(quoted(knownHosts))
      BatchMode yes

    """
  }

  /// A double-quoted config value; sshd and ssh split unquoted values on spaces.
  private static func quoted(_ text: String) -> String {
    "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
  }
}
