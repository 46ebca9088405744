// swift-tools-version:6.0
// Stand-alone build of `workbench bench engine` for Benchmarks/engine/run.sh: the same command
// source (Sources/workbench/BenchEngineCommand.swift, symlinked) over the root package's
// NeuralEngine library, so the benchmark runs whether or not the CLI has wired it yet.
import Foundation
import PackageDescription

/// The root package's identity is its directory name (lowercased), whatever the clone is called.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "engine-bench",
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "engine-bench",
            dependencies: [
                .product(name: "NeuralEngine", package: rootIdentity),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/engine-bench")
    ],
    swiftLanguageModes: [.v5]
)
