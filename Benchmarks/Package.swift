// swift-tools-version:6.0
// Speed benchmarks, kept out of the root package so its tests never build them. Run in release:
//   swift build -c release --package-path Benchmarks && Benchmarks/.build/release/codec-bench --help
import PackageDescription

let package = Package(
    name: "workbench-benchmarks",
    platforms: [.macOS(.v14)],
    // Named explicitly: a path package's identity is otherwise its directory name ("main" in
    // one clone, "workbench" in another), and the products below must name it.
    dependencies: [.package(name: "workbench", path: "..")],
    targets: [
        // The reference: a plain C loop calling libzstd, libbrotli and zlib directly.
        .target(
            name: "CodecBaseline",
            linkerSettings: [
                .linkedLibrary("zstd"), .linkedLibrary("brotlienc"), .linkedLibrary("brotlidec"), .linkedLibrary("z"),
            ]),
        .executableTarget(
            name: "codec-bench",
            dependencies: [
                "CodecBaseline",
                .product(name: "CodecPlugins", package: "workbench"),
                .product(name: "WorkbenchCore", package: "workbench"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)
