// swift-tools-version:6.2
import PackageDescription

let package = Package(
  name: "mktopo",
  products: [
    .executable(name: "mktopo", targets: ["mktopo"]),
    .executable(name: "microk8s-sim", targets: ["microk8s-sim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    // libyaml's document API, linked from the system (apt-get install libyaml-dev).
    .systemLibrary(
      name: "CLibYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // Pure: no processes, files, clock, environment, randomness or printing.
    .target(name: "MembershipCore", dependencies: ["CLibYAML"]),
    // Effects: files, terminals, subprocesses, ssh, git, logs and the reconcile daemon.
    .target(
      name: "MembershipRuntime",
      dependencies: [
        "MembershipCore",
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .executableTarget(
      name: "mktopo",
      dependencies: [
        "CLibYAML",
        "MembershipCore",
        "MembershipRuntime",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .executableTarget(
      name: "mktopo-bench",
      dependencies: [
        "MembershipCore", "MembershipRuntime", "CLibYAML",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The chaos suite (`make chaos`): random worlds, files and runs against the simulator.
    .executableTarget(
      name: "mktopo-chaos",
      dependencies: [
        "MicroK8sSimulator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "MicroK8sSimulator"),
    .executableTarget(name: "microk8s-sim", dependencies: ["MicroK8sSimulator"]),
    .testTarget(name: "MicroK8sSimulatorTests", dependencies: ["MicroK8sSimulator"]),
    .testTarget(name: "MembershipCoreTests", dependencies: ["MembershipCore", "CLibYAML"]),
    // Real OpenSSH servers on 127.0.0.x for tests (needs root and openssh-server).
    .target(
      name: "SSHTestSupport",
      dependencies: [
        "MembershipCore",
        .product(name: "Subprocess", package: "swift-subprocess"),
      ],
      path: "Tests/SSHTestSupport"
    ),
    .testTarget(
      name: "MembershipRuntimeTests",
      dependencies: ["MembershipRuntime", "MembershipCore", "SSHTestSupport"]
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["MembershipCore", "MembershipRuntime", "SSHTestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
