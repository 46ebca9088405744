// swift-tools-version:6.0
// The BPE benchmark: our trainer and tokenizer timed against HuggingFace tokenizers and tiktoken.
// Kept out of the root package so its tests never build it. Run `Benchmarks/bpe/run.sh`.
import PackageDescription

let package = Package(
    name: "bpe-benchmark",
    platforms: [.macOS(.v14)],
    // Named explicitly: a path package's identity is otherwise its directory name.
    dependencies: [.package(name: "workbench", path: "../..")],
    targets: [
        .executableTarget(
            name: "bpe-bench",
            dependencies: [
                .product(name: "BPEPlugin", package: "workbench"),
                .product(name: "WorkbenchCore", package: "workbench"),
            ])
    ],
    swiftLanguageModes: [.v5]
)
