import MembershipCore
import Testing

/// Files that break one rule each, and the error each reports.
extension TopologyDiagnosticTests {
  static let errors: [RuleCase] = [
    RuleCase(
      rule: "YAML syntax error at libyaml's position",
      yaml:
        "apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: a, version: \"1.28\"\n①nodes:\n",
      severity: .error,
      marker: "①",
      phrase: "YAML syntax error"
    ),
    RuleCase(
      rule: "unknown key with a suggestion",
      yaml: nodes("  - name: a\n    ①adress: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "unknown key 'adress' in a node; did you mean 'address'?"
    ),
    RuleCase(
      rule: "unknown top-level key lists the known ones",
      yaml: "①metadata: {}\n" + nodes("  - name: a\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "expected one of 'apiVersion'"
    ),
    RuleCase(
      rule: "duplicate key",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    ①name: b\n"),
      severity: .error,
      marker: "①",
      phrase: "duplicate key 'name'"
    ),
    RuleCase(
      rule: "wrong type: mapping where a string belongs",
      yaml: nodes("  - name: ①{a: b}\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "must be a string, found a mapping"
    ),
    RuleCase(
      rule: "wrong type: unquoted version suggests quoting",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    version: ①1.30\n"),
      severity: .error,
      marker: "①",
      phrase: "quote it: \"1.30\""
    ),
    RuleCase(
      rule: "a duration without its unit suggests the units, not quotes",
      yaml: validHeader
        + "policy:\n  joinTimeout: ①5\nnodes:\n  - name: a\n    address: 10.0.0.1\n",
      severity: .error,
      marker: "①",
      phrase:
        "'policy.joinTimeout' must be a duration with its unit, found a number; write \"5s\" or \"5m\""
    ),
    RuleCase(
      rule: "wrong type: nodes is not a list",
      yaml: validHeader + "nodes: ①{name: a}\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' must be a list"
    ),
    RuleCase(
      rule: "bad role, with the word operators bring from elsewhere",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    role: ①control-plane\n"),
      severity: .error,
      marker: "①",
      phrase: "found 'control-plane'; did you mean 'mixed'?"
    ),
    RuleCase(
      rule: "bad state",
      yaml: nodes(
        "  - name: a\n    address: 10.0.0.1\n  - name: b\n    address: 10.0.0.2\n    state: ①absnet\n"
      ),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'absent'?"
    ),
    RuleCase(
      rule: "bad connection type",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {type: ①sshh}\n"),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'ssh'?"
    ),
    RuleCase(
      rule: "host key checking can never be off",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {hostKeyChecking: ①no}\n"),
      severity: .error,
      marker: "①",
      phrase: "cannot be turned off"
    ),
    RuleCase(
      rule: "bad duration",
      yaml: validHeader + "policy:\n  joinTimeout: ①5 min\n"
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n",
      severity: .error,
      marker: "①",
      phrase: "invalid duration '5 min'"
    ),
    RuleCase(
      rule: "zero duration",
      yaml: validHeader + "policy:\n  tokenTTL: ①0s\n"
        + "nodes:\n  - name: a\n    address: 10.0.0.1\n",
      severity: .error,
      marker: "①",
      phrase: "longer than zero"
    ),
    RuleCase(
      rule: "uppercase node name suggests the lowercase one",
      yaml: nodes("  - name: ①Node1\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "did you mean 'node1'?"
    ),
    RuleCase(
      rule: "node name longer than 63",
      yaml: nodes("  - name: ①" + String(repeating: "n", count: 64) + "\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "the limit is 63"
    ),
    RuleCase(
      rule: "node name with shell metacharacters",
      yaml: nodes("  - name: ①\"a;rm -rf /\"\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "it contains ';'"
    ),
    RuleCase(
      rule: "invalid IPv4 address",
      yaml: nodes("  - name: a\n    address: ①10.0.0.256\n"),
      severity: .error,
      marker: "①",
      phrase: "at most 255"
    ),
    RuleCase(
      rule: "IPv4 with a prefix length",
      yaml: nodes("  - name: a\n    address: ①10.0.0.1/24\n"),
      severity: .error,
      marker: "①",
      phrase: "without a prefix length"
    ),
    RuleCase(
      rule: "duplicate names, ignoring case",
      yaml: nodes(
        "  - name: node1\n    address: 10.0.0.1\n  - name: node2\n    address: 10.0.0.2\n  - name: ①node1\n    address: 10.0.0.3\n"
      ),
      severity: .error,
      marker: "①",
      phrase: "duplicate node name 'node1'"
    ),
    RuleCase(
      rule: "duplicate addresses",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n  - name: b\n    address: ①10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "duplicate address 10.0.0.1: already used by node 'a'"
    ),
    RuleCase(
      rule: "version track format",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    version: ①\"v1.28\"\n"),
      severity: .error,
      marker: "①",
      phrase: "invalid MicroK8s version 'v1.28'"
    ),
    RuleCase(
      rule: "apiVersion",
      yaml:
        "apiVersion: ①mktopo/v2\nkind: Topology\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "unsupported apiVersion 'mktopo/v2'"
    ),
    RuleCase(
      rule: "kind",
      yaml:
        "apiVersion: mktopo/v1\nkind: ①Cluster\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "unsupported kind 'Cluster'"
    ),
    RuleCase(
      rule: "missing apiVersion",
      yaml:
        "①kind: Topology\ncluster: {name: a, version: \"1.28\"}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "missing required key 'apiVersion'"
    ),
    RuleCase(
      rule: "empty nodes",
      yaml: validHeader + "nodes: ①[]\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' is empty"
    ),
    RuleCase(
      rule: "nodes with no value",
      yaml: validHeader + "①nodes:\n",
      severity: .error,
      marker: "①",
      phrase: "'nodes' is empty"
    ),
    RuleCase(
      rule: "missing nodes",
      yaml: "①apiVersion: mktopo/v1\nkind: Topology\ncluster: {name: a, version: \"1.28\"}\n",
      severity: .error,
      marker: "①",
      phrase: "missing required key 'nodes'"
    ),
    RuleCase(
      rule: "no control-plane node",
      yaml: validHeader + "①nodes:\n  - name: a\n    address: 10.0.0.1\n    state: absent\n",
      severity: .error,
      marker: "①",
      phrase: "no control-plane node"
    ),
    RuleCase(
      rule: "workers without any mixed node",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    role: ①worker\n"),
      severity: .error,
      marker: "①",
      phrase: "workers without a control plane"
    ),
    RuleCase(
      rule: "missing address on a present node",
      yaml: nodes("  - ①name: a\n"),
      severity: .error,
      marker: "①",
      phrase: "node 'a' is missing required key 'address'"
    ),
    RuleCase(
      rule: "exec without command",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: ①{type: exec}\n"),
      severity: .error,
      marker: "①",
      phrase: "needs 'command'"
    ),
    RuleCase(
      rule: "unknown placeholder",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    microk8s: [sudo, ①\"{host}\"]\n"),
      severity: .error,
      marker: "①",
      phrase: "unknown placeholder '{host}'"
    ),
    RuleCase(
      rule: "port out of range",
      yaml: nodes("  - name: a\n    address: 10.0.0.1\n    connection: {port: ①65536}\n"),
      severity: .error,
      marker: "①",
      phrase: "between 1 and 65535"
    ),
    RuleCase(
      rule: "boolean written as yes",
      yaml: validHeader + "policy: {prune: ①yes}\nnodes: [{name: a, address: 10.0.0.1}]\n",
      severity: .error,
      marker: "①",
      phrase: "write true or false"
    ),
    RuleCase(
      rule: "more than one document",
      yaml: validHeader + "nodes: [{name: a, address: 10.0.0.1}]\n①---\nkind: Topology\n",
      severity: .error,
      marker: "①",
      phrase: "more than one YAML document"
    ),
    RuleCase(
      rule: "undefined alias",
      yaml: validHeader + "nodes: [①*missing]\n",
      severity: .error,
      marker: "①",
      phrase: "undefined alias"
    ),
    RuleCase(
      rule: "the top level is not a mapping",
      yaml: "①- a\n- b\n",
      severity: .error,
      marker: "①",
      phrase: "a topology must be a mapping"
    ),
    RuleCase(
      rule: "custom tags are refused",
      yaml: nodes("  - name: ①!secret a\n    address: 10.0.0.1\n"),
      severity: .error,
      marker: "①",
      phrase: "unsupported tag '!secret'"
    ),
  ]
}
