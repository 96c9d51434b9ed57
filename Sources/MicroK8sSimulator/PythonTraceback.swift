/// Uncaught Python exceptions, printed on standard error as the snap's Python prints them.
///
/// MicroK8s lets some errors escape (contract §3.5: an unreachable agent), so callers see a
/// traceback and exit 1. Line numbers are plausible, not taken from a given release.
struct PythonTraceback {
  struct Frame {
    var file: String
    var line: Int
    var function: String
    var code: String
  }

  var frames: [Frame]
  /// The last line: `ConnectionRefusedError: [Errno 111] Connection refused`.
  var error: String

  var lines: [String] {
    ["Traceback (most recent call last):"]
      + frames.flatMap {
        ["  File \"\($0.file)\", line \($0.line), in \($0.function)", "    \($0.code)"]
      }
      + [error]
  }

  /// `join.py` failing while it connects to the cluster agent.
  static func joinConnect(revision: Int, error: String, resolving: Bool = false) -> PythonTraceback
  {
    let snap = "/snap/microk8s/\(revision)"
    let python = "\(snap)/usr/lib/python3.8"
    var frames = script("\(snap)/scripts/wrappers/join.py", revision: revision, command: "join")
    frames += [
      Frame(
        file: "\(snap)/scripts/wrappers/join.py",
        line: 1001,
        function: "join",
        code: "join_dqlite(connection_parts, verify, worker)"
      ),
      Frame(
        file: "\(snap)/scripts/wrappers/join.py",
        line: 733,
        function: "join_dqlite",
        code: "info = get_connection_info("
      ),
      Frame(
        file: "\(snap)/scripts/wrappers/join.py",
        line: 161,
        function: "get_connection_info",
        code: "conn.connect()"
      ),
      Frame(
        file: "\(python)/http/client.py",
        line: 1414,
        function: "connect",
        code: "super().connect()"
      ),
      Frame(
        file: "\(python)/http/client.py",
        line: 921,
        function: "connect",
        code: "self.sock = self._create_connection("
      ),
    ]
    if resolving {
      frames += [
        Frame(
          file: "\(python)/socket.py",
          line: 787,
          function: "create_connection",
          code: "for res in getaddrinfo(host, port, 0, SOCK_STREAM):"
        ),
        Frame(
          file: "\(python)/socket.py",
          line: 918,
          function: "getaddrinfo",
          code: "for res in _socket.getaddrinfo(host, port, family, type, proto, flags):"
        ),
      ]
    } else {
      frames += [
        Frame(
          file: "\(python)/socket.py",
          line: 808,
          function: "create_connection",
          code: "raise err"
        ),
        Frame(
          file: "\(python)/socket.py",
          line: 796,
          function: "create_connection",
          code: "sock.connect(sa)"
        ),
      ]
    }
    return PythonTraceback(frames: frames, error: error)
  }

  /// `join.py` (≤1.28, no validation) failing on a connection string it cannot split.
  static func joinParse(revision: Int, code: String, error: String) -> PythonTraceback {
    let snap = "/snap/microk8s/\(revision)"
    var frames = script("\(snap)/scripts/wrappers/join.py", revision: revision, command: "join")
    frames += [
      Frame(
        file: "\(snap)/scripts/wrappers/join.py",
        line: 1001,
        function: "join",
        code: "join_dqlite(connection_parts, verify, worker)"
      ),
      Frame(
        file: "\(snap)/scripts/wrappers/join.py",
        line: 722,
        function: "join_dqlite",
        code: code
      ),
    ]
    return PythonTraceback(frames: frames, error: error)
  }

  /// `leave.py` when the dqlite query fails because the datastore has no leader.
  static func leaveQuery(revision: Int) -> PythonTraceback {
    let snap = "/snap/microk8s/\(revision)"
    let backend = "/var/snap/microk8s/current/var/kubernetes/backend"
    var frames = script("\(snap)/scripts/wrappers/leave.py", revision: revision, command: "leave")
    frames += [
      Frame(
        file: "\(snap)/scripts/wrappers/leave.py",
        line: 379,
        function: "leave",
        code: "reset_current_dqlite_installation()"
      ),
      Frame(
        file: "\(snap)/scripts/wrappers/leave.py",
        line: 153,
        function: "reset_current_dqlite_installation",
        code: "if is_leader_without_successor():"
      ),
      Frame(
        file: "\(snap)/scripts/wrappers/leave.py",
        line: 266,
        function: "is_leader_without_successor",
        code: "out = subprocess.check_output("
      ),
      Frame(
        file: "\(snap)/usr/lib/python3.8/subprocess.py",
        line: 415,
        function: "check_output",
        code: "return run(*popenargs, stdout=PIPE, timeout=timeout, check=True,"
      ),
      Frame(
        file: "\(snap)/usr/lib/python3.8/subprocess.py",
        line: 516,
        function: "run",
        code: "raise CalledProcessError(retcode, process.args,"
      ),
    ]
    let command = [
      "\(snap)/bin/dqlite", "-s", "file://\(backend)/cluster.yaml", "-c", "\(backend)/cluster.crt",
      "-k", "\(backend)/cluster.key", "-f", "json", "k8s", ".cluster",
    ].map { "'\($0)'" }.joined(separator: ", ")
    return PythonTraceback(
      frames: frames,
      error:
        "subprocess.CalledProcessError: Command '[\(command)]' returned non-zero exit status 1."
    )
  }

  /// The frames every click script starts with.
  private static func script(_ path: String, revision: Int, command: String) -> [Frame] {
    let click = "/snap/microk8s/\(revision)/usr/lib/python3/dist-packages/click/core.py"
    return [
      Frame(
        file: path,
        line: 1010,
        function: "<module>",
        code: "\(command)(prog_name=\"microk8s \(command)\")"
      ),
      Frame(
        file: click,
        line: 1128,
        function: "__call__",
        code: "return self.main(*args, **kwargs)"
      ),
      Frame(file: click, line: 1053, function: "main", code: "rv = self.invoke(ctx)"),
      Frame(
        file: click,
        line: 1395,
        function: "invoke",
        code: "return ctx.invoke(self.callback, **ctx.params)"
      ),
      Frame(file: click, line: 754, function: "invoke", code: "return __callback(*args, **kwargs)"),
    ]
  }
}
