import Foundation
import Testing

/// `workbench export`: the token array read back by the committed Python reader (when Python is
/// installed), and the reference JSONL fields.
@Suite struct ExportCommandTests {
    /// A small JSONL corpus in a fresh directory.
    static func smallCorpus() throws -> (directory: String, texts: [String]) {
        let directory = try temporaryDirectory()
        let texts = (0..<12).map { "def f\($0)(x):\n    return x * \($0) + \"é\"\n" + String(repeating: "# pad\n", count: $0) }
        let lines = try texts.map { text -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        return (directory, texts)
    }

    /// The documents of a token array, read in Swift from its .bin and .idx.
    static func readTokenArray(_ prefix: String, width: Int) throws -> [[UInt32]] {
        let bin = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".bin")))
        let idx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".idx")))
        func value(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        let offsets = stride(from: 0, to: idx.count, by: 8).map { Int(value(idx, at: $0, width: 8)) }
        #expect(offsets.last == bin.count / width)
        return zip(offsets, offsets.dropFirst()).map { start, end in
            (start..<end).map { UInt32(value(bin, at: $0 * width, width: width)) }
        }
    }

    static let python: String? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    @Test func rawViewHoldsTheBytesInThePaperLayout() throws {
        let (directory, texts) = try Self.smallCorpus()
        let outcome = try WorkbenchProcess.run(
            [
                "export", "--compressor", "zstd", "--format", "token-array", "--view", "raw", "--corpus", "c.jsonl", "--out",
                "out.bin",
            ],
            in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let documents = try Self.readTokenArray(directory + "/out", width: 2)
        #expect(documents == texts.map { [1, 12] + Array($0.utf8).map { 64 + UInt32($0) } + [13, 2] })
        let header =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/out.json")))
            as? [String: Any]
        let tokenArray = header?["tokenArray"] as? [String: Any]
        #expect(tokenArray?["dtype"] as? String == "uint16")
        #expect((header?["counts"] as? [String: Any])?["documents"] as? Int == texts.count)
    }

    @Test(.enabled(if: python != nil, "python3 is not installed"), arguments: [("zstd:level=3", 2), ("bytepairs", 4)])
    func pythonReaderReadsWhatSwiftWrote(_ compressor: String, width: Int) throws {
        let (directory, _) = try Self.smallCorpus()
        let outcome = try WorkbenchProcess.run(
            [
                "export", "--compressor", compressor, "--format", "token-array", "--corpus", "c.jsonl", "--out", "out", "--jobs",
                "2",
            ],
            in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let expected = try Self.readTokenArray(directory + "/out", width: width)
        #expect(expected.allSatisfy { $0.prefix(2) == [1, 14] && $0.suffix(2) == [15, 2] })
        let dump = expected.map { $0.map(String.init).joined(separator: " ") + "\n" }.joined()
        // Once with numpy (if installed), once with a stub that hides it: the struct fallback.
        let hidden = directory + "/no-numpy"
        try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: true)
        try "raise ImportError('hidden by the test')\n".write(toFile: hidden + "/numpy.py", atomically: true, encoding: .utf8)
        for pythonPath in ["", hidden] {
            let reader = try Self.runPython(
                [WorkbenchProcess.repositoryRoot + "/docs/token_array_reader.py", directory + "/out", "--dump"],
                pythonPath: pythonPath)
            #expect(reader.status == 0, "\(reader.error)")
            #expect(reader.output == dump)
        }
    }

    static func runPython(_ arguments: [String], pythonPath: String) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/python3")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = pythonPath
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
        )
    }

    @Test func aBadLineFailsTheExportNamingItAndLeavesNoOutput() throws {
        let (directory, _) = try Self.smallCorpus()
        let good = try String(contentsOfFile: directory + "/c.jsonl", encoding: .utf8)
        try (good + "{\"text\": 3}\n" + good).write(toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        let outcome = try WorkbenchProcess.run(
            ["export", "--compressor", "zstd", "--format", "token-array", "--corpus", "c.jsonl", "--out", "out", "--jobs", "2"],
            in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("c.jsonl:13: field 'text' is not a string"))
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: directory)).contains {
                $0.hasPrefix("out") || $0.contains(".tmp-")
            })
        let skipping = try WorkbenchProcess.run(
            [
                "export", "--compressor", "zstd", "--format", "token-array", "--corpus", "c.jsonl", "--out", "out", "--jobs", "2",
                "--skip-bad-lines",
            ],
            in: directory)
        #expect(skipping.status == 0)
        let header =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/out.json")))
            as? [String: Any]
        let counts = header?["counts"] as? [String: Any]
        #expect(counts?["documents"] as? Int == 24)
        #expect(counts?["skippedLines"] as? Int == 1)
    }

    @Test(arguments: [
        ["--jobs", "0"], ["--corpus-sha256", "abc"], ["--rank", "2", "--world-size", "2"], ["--world-size", "0"],
    ])
    func badShardingArgumentsAreUsageErrors(_ arguments: [String]) throws {
        let outcome = try WorkbenchProcess.run(
            ["export", "--compressor", "zstd", "--format", "token-array", "--out", "/nonexistent/x"] + arguments)
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(arguments[1]))
    }

    @Test func referenceJSONLKeepsTheTextAndAddsTheField() throws {
        let (directory, texts) = try Self.smallCorpus()
        for (compressor, field) in [
            ("gzip", nil), ("zstd:level=3", "zstd_base64"), ("bpe:vocab=300", "bpe_ids"), ("ac", "m1_ac_ow16"),
        ] as [(String, String?)] {
            let outcome = try WorkbenchProcess.run(
                [
                    "export", "--compressor", compressor, "--format", "reference-jsonl", "--corpus", "c.jsonl", "--out",
                    "ref.jsonl",
                ],
                in: directory)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let lines = try String(contentsOfFile: directory + "/ref.jsonl", encoding: .utf8).split(separator: "\n")
            let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(records.map { $0?["text"] as? String } == texts)
            #expect(records.allSatisfy { Set(($0 ?? [:]).keys) == Set(["text"] + (field.map { [$0] } ?? [])) }, "\(compressor)")
            #expect(FileManager.default.fileExists(atPath: directory + "/ref.tokenizer.json") == (field == "bpe_ids"))
            if field == "m1_ac_ow16" {
                #expect(records.allSatisfy { ($0?["m1_ac_ow16"] as? String).flatMap { Data(base64Encoded: $0) } != nil })
            }
            try? FileManager.default.removeItem(atPath: directory + "/ref.tokenizer.json")
        }
    }

    /// `--out` in folders that do not exist yet creates them (the README's `--out data/ac`).
    @Test func outputFoldersAreCreated() throws {
        let (directory, _) = try Self.smallCorpus()
        for format in ["token-array", "reference-jsonl"] {
            let outcome = try WorkbenchProcess.run(
                ["export", "--compressor", "zstd", "--format", format, "--corpus", "c.jsonl", "--out", "new/dir/\(format)/x"],
                in: directory)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(FileManager.default.fileExists(atPath: directory + "/new/dir/\(format)/x.json"))
        }
        let encode = try WorkbenchProcess.run(
            ["encode", "--compressor", "bytes", "--corpus", "c.jsonl", "--out", "other/new/e.jsonl"], in: directory)
        #expect(encode.status == 0, "\(encode.standardError)")
        #expect(FileManager.default.fileExists(atPath: directory + "/other/new/e.jsonl"))
    }

    /// bpe writes the folder the reference's token proxy loads with AutoTokenizer.from_pretrained
    /// (tokenizer.json plus tokenizer_config.json), and `--chunk-naming` names the main output
    /// as the reference's loader finds it; sharded and merged, the result is the unsharded one.
    @Test func referenceLayoutForTheReferenceLoader() throws {
        let (directory, _) = try Self.smallCorpus()
        let base = [
            "export", "--compressor", "bpe:vocab=280", "--format", "reference-jsonl", "--corpus", "c.jsonl", "--chunk-naming",
        ]
        let whole = try WorkbenchProcess.run(base + ["--out", "whole/bpe.jsonl"], in: directory)
        #expect(whole.status == 0, "\(whole.standardError)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory + "/whole").sorted()
        #expect(
            files == [
                "bpe.chunk.00.jsonl", "bpe.json", "bpe.tokenizer", "bpe.tokenizer.json", "bpe.tokenizer/tokenizer.json",
                "bpe.tokenizer/tokenizer_config.json",
            ], "\(files)")
        #expect(
            FileManager.default.contentsEqual(
                atPath: directory + "/whole/bpe.tokenizer.json", andPath: directory + "/whole/bpe.tokenizer/tokenizer.json"))
        let config = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/whole/bpe.tokenizer/tokenizer_config.json")))
        #expect((config as? [String: String]) == ["tokenizer_class": "PreTrainedTokenizerFast"])
        for rank in 0..<2 {
            let shard = try WorkbenchProcess.run(
                base + ["--out", "shards", "--rank", String(rank), "--world-size", "2"], in: directory)
            #expect(shard.status == 0, "\(shard.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/shards/shard-1-of-2.chunk.00.jsonl"))
        #expect(FileManager.default.fileExists(atPath: directory + "/shards/shard-1-of-2.tokenizer/tokenizer_config.json"))
        let merged = try WorkbenchProcess.run(["merge", "shards", "--out", "merged/bpe"], in: directory)
        #expect(merged.status == 0, "\(merged.standardError)")
        for file in files where !file.hasSuffix(".tokenizer") {
            #expect(
                FileManager.default.contentsEqual(atPath: directory + "/whole/" + file, andPath: directory + "/merged/" + file),
                "\(file)")
        }
        let tokenArray = try WorkbenchProcess.run(
            ["export", "--compressor", "zstd", "--format", "token-array", "--chunk-naming", "--out", "t"], in: directory)
        #expect(tokenArray.status == 64)
    }
}
