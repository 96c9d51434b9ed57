/// The start of a generated topology, up to and including `nodes:`.
///
/// A cluster `bench` on MicroK8s 1.28, reached over ssh as `ubuntu` by default, that
/// allows at most `maxRemovals` removals per plan; the caller appends the node entries.
func topologyHeader(maxRemovals: Int) -> String {
  """
  apiVersion: mktopo/v1
  kind: Topology
  cluster:
    name: bench
    version: "1.28"
  defaults:
    connection:
      user: ubuntu
      identityFile: ~/.ssh/id_ed25519
  policy:
    maxRemovals: \(maxRemovals)
  nodes:

  """
}
