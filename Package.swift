// swift-tools-version:6.0
// The proxy-compression workbench: see README.md and docs/architecture.md.
import PackageDescription

/// Code generation for numeric kernels: AVX2 + FMA. Without it Swift targets baseline x86-64 and
/// fused multiply-add becomes a libm call per lane (docs/performance.md). Debug builds optimize
/// these targets too: unoptimized SIMD kernels are 20-50x slower and made `make test` crawl.
let vectorKernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux])),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "workbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "workbench", targets: ["workbench"]),
        .library(name: "WorkbenchCore", targets: ["WorkbenchCore"]),
        .library(name: "ExternalPluginHost", targets: ["ExternalPluginHost"]),
        .library(name: "BPEPlugin", targets: ["BPEPlugin"]),
        .library(name: "ACPlugin", targets: ["ACPlugin"]),
        .library(name: "NeuralEngine", targets: ["NeuralEngine"]),
        .library(name: "CodecPlugins", targets: ["ZstdPlugin", "BrotliPlugin", "GzipPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: Core vocabulary
        // Optimized in debug builds too: its corpus passes (hashing, near-duplicate signatures, JSON)
        // over the shipped corpus ran 10-20x slower unoptimized and dominated `make test`.
        .target(name: "WorkbenchCore", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),

        // MARK: Neural engine
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .target(name: "NeuralEngine", dependencies: ["COpenBLAS"], swiftSettings: vectorKernelFlags),

        // MARK: Plugins: one folder, one target, one row in Builtins
        .systemLibrary(
            name: "CZstd", path: "plugins/zstd/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .target(name: "ZstdPlugin", dependencies: ["WorkbenchCore", "CZstd"], path: "plugins/zstd/Sources"),
        .systemLibrary(
            name: "CBrotli", path: "plugins/brotli/CBrotli", pkgConfig: "libbrotlienc",
            providers: [.apt(["libbrotli-dev"])]),
        .target(name: "BrotliPlugin", dependencies: ["WorkbenchCore", "CBrotli"], path: "plugins/brotli/Sources"),
        .systemLibrary(
            name: "CZlib", path: "plugins/gzip/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(name: "GzipPlugin", dependencies: ["WorkbenchCore", "CZlib"], path: "plugins/gzip/Sources"),
        .target(name: "BytesPlugin", dependencies: ["WorkbenchCore"], path: "plugins/bytes/Sources"),
        .target(
            name: "ACPlugin", dependencies: ["WorkbenchCore", "NeuralEngine"], path: "plugins/ac/Sources",
            swiftSettings: vectorKernelFlags),
        .target(
            name: "BPEPlugin", dependencies: ["WorkbenchCore"], path: "plugins/bpe/Sources", swiftSettings: vectorKernelFlags),

        // MARK: Out-of-process plugins in any language (plugins/external/PROTOCOL.md)
        .target(name: "ExternalPluginHost", dependencies: ["WorkbenchCore"]),

        // MARK: The compressor contract as runnable cases (tests and `workbench plugins check`)
        .target(name: "Conformance", dependencies: ["WorkbenchCore"]),

        // MARK: Proxy training
        .target(name: "ProxyTrainer", dependencies: ["WorkbenchCore", "NeuralEngine"], swiftSettings: vectorKernelFlags),

        // MARK: Assembly
        .target(
            name: "Builtins",
            dependencies: [
                "WorkbenchCore", "ZstdPlugin", "BrotliPlugin", "GzipPlugin", "BytesPlugin", "BPEPlugin", "ACPlugin",
            ]),
        .target(name: "Reports", dependencies: ["WorkbenchCore"]),

        // MARK: Orchestration: compare's stages and measuring child, export/encode, process plumbing
        .target(
            name: "Pipelines",
            dependencies: [
                "WorkbenchCore", "NeuralEngine", "ProxyTrainer", "Reports",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: The command-line tool: parse, validate, call, print (names no plugin)
        .executableTarget(
            name: "workbench",
            dependencies: [
                "WorkbenchCore", "Builtins", "Pipelines", "NeuralEngine", "ProxyTrainer", "Reports", "ExternalPluginHost",
                "Conformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Tests
        .target(name: "WorkbenchTestSupport", dependencies: ["WorkbenchCore"], path: "Tests/WorkbenchTestSupport"),
        .testTarget(name: "WorkbenchCoreTests", dependencies: ["WorkbenchTestSupport", "WorkbenchCore"]),
        .testTarget(
            name: "ConformanceTests",
            dependencies: [
                "WorkbenchCore", "Conformance", "Builtins", "ExternalPluginHost", "ZstdPlugin", "BrotliPlugin", "GzipPlugin",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "NeuralEngineTests", dependencies: ["NeuralEngine", "WorkbenchTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ReportsTests", dependencies: ["WorkbenchTestSupport", "Reports", "WorkbenchCore"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["WorkbenchTestSupport", "WorkbenchCore"], exclude: ["Golden"]),
        .testTarget(
            name: "PipelinesTests",
            dependencies: ["WorkbenchTestSupport", "Pipelines", "Builtins", "WorkbenchCore", "ProxyTrainer", "Reports"],
            exclude: ["Golden"]),
        .testTarget(
            name: "ExternalPluginTests", dependencies: ["ExternalPluginHost", "WorkbenchCore"], exclude: ["Misbehaving"]),
        .testTarget(name: "ProxyTrainerTests", dependencies: ["WorkbenchTestSupport", "ProxyTrainer", "WorkbenchCore"]),
        .testTarget(name: "ACTests", dependencies: ["WorkbenchTestSupport", "ACPlugin", "NeuralEngine", "WorkbenchCore"]),
        .testTarget(
            name: "BPETests", dependencies: ["WorkbenchTestSupport", "BPEPlugin", "WorkbenchCore"], resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
