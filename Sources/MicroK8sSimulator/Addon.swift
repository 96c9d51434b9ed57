/// A MicroK8s addon as `status` lists it; the simulated hosts have the defaults of a
/// fresh install.
struct Addon {
  var name: String
  var repository: String
  var description: String
  var version: String
  var enabled: Bool

  static let defaults: [Addon] = [
    Addon(name: "dns", repository: "core", description: "CoreDNS", version: "1.0", enabled: true),
    Addon(
      name: "ha-cluster",
      repository: "core",
      description: "Configure high availability on the current node",
      version: "1.0",
      enabled: true
    ),
    Addon(
      name: "helm",
      repository: "core",
      description: "Helm - the package manager for Kubernetes",
      version: "1.0",
      enabled: true
    ),
    Addon(
      name: "helm3",
      repository: "core",
      description: "Helm 3 - the package manager for Kubernetes",
      version: "1.0",
      enabled: true
    ),
    Addon(
      name: "dashboard",
      repository: "core",
      description: "The Kubernetes dashboard",
      version: "1.0",
      enabled: false
    ),
    Addon(
      name: "hostpath-storage",
      repository: "core",
      description: "Storage class; allocates storage from host directory",
      version: "1.0",
      enabled: false
    ),
    Addon(
      name: "ingress",
      repository: "core",
      description: "Ingress controller for external access",
      version: "1.0",
      enabled: false
    ),
    Addon(
      name: "metrics-server",
      repository: "core",
      description: "K8s Metrics Server for API access to service metrics",
      version: "1.0",
      enabled: false
    ),
    Addon(
      name: "registry",
      repository: "core",
      description: "Private image registry exposed on localhost:32000",
      version: "1.0",
      enabled: false
    ),
  ]
}
