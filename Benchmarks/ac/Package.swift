// swift-tools-version:6.0
// The ac benchmark: M1 training, coding overhead, rate against brotli-11, equal-info windows,
// speed. Kept out of the root package so its tests never build it. Run `Benchmarks/ac/run.sh`.
import PackageDescription

let package = Package(
    name: "ac-benchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "workbench", path: "../..")],
    targets: [
        .executableTarget(
            name: "ac-bench",
            dependencies: [
                .product(name: "ACPlugin", package: "workbench"),
                .product(name: "NeuralEngine", package: "workbench"),
                .product(name: "WorkbenchCore", package: "workbench"),
            ],
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])])
    ],
    swiftLanguageModes: [.v5]
)
