// swift-tools-version:6.0
// The external-plugin benchmark: the xz-python example through the workbench's process
// boundary against the same Python code run directly. Kept out of the root package so its
// tests never build it. Run `Benchmarks/external/run.sh`.
import PackageDescription

let package = Package(
    name: "external-plugin-benchmark",
    platforms: [.macOS(.v14)],
    // Named explicitly: a path package's identity is otherwise its directory name.
    dependencies: [.package(name: "workbench", path: "../..")],
    targets: [
        .executableTarget(
            name: "external-bench",
            dependencies: [
                .product(name: "ExternalPluginHost", package: "workbench"),
                .product(name: "WorkbenchCore", package: "workbench"),
            ])
    ],
    swiftLanguageModes: [.v5]
)
