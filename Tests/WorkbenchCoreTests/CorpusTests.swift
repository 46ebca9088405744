import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@Suite struct CorpusTests {
    func write(_ text: String, name: String = "c.jsonl") throws -> String {
        let path = try TestEnvironment.temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsJSONLinesAndSkipsBlankLines() throws {
        let path = try write("{\"text\": \"a\\nb\"}\n\n{\"text\": \"é\", \"id\": 2}\r\n")
        let corpus = try Corpus.load(path: path)
        #expect(corpus.documents.map(\.bytes) == [Array("a\nb".utf8), Array("é".utf8)])
        #expect(corpus.documents[1].source == "\(path):3")
        #expect(corpus.name == "c")
    }

    @Test func badLineNamesFileAndLine() throws {
        let path = try write("{\"text\": \"ok\"}\nnot json\n")
        let error = #expect(throws: WorkbenchError.self) { try Corpus.load(path: path) }
        #expect(error?.message.hasPrefix("\(path):2: not valid JSON") == true)
        #expect(error?.message.contains("--skip-bad-lines") == true)
    }

    /// `42`, `"x"`, `null` are valid JSON: the message says so and what they are, not "not valid JSON".
    @Test func validJSONThatIsNotAnObjectIsNamedAsSuch() throws {
        for (line, kind) in [("42", "a number"), ("\"x\"", "a string"), ("null", "null"), ("true", "a boolean")] {
            let path = try write("{\"text\": \"ok\"}\n\(line)\n")
            let error = #expect(throws: WorkbenchError.self) { try Corpus.load(path: path) }
            #expect(
                error?.message.hasPrefix("\(path):2: valid JSON but not an object (\(kind))") == true, "\(error?.message ?? "")")
        }
    }

    @Test func missingFieldNamesTheFieldAndTheOption() throws {
        let path = try write("{\"content\": \"x\"}\n")
        let error = #expect(throws: WorkbenchError.self) { try Corpus.load(path: path) }
        #expect(error?.message.hasPrefix("\(path):1: no field 'text'") == true)
        #expect(error?.message.contains("--text-field") == true)
        let other = try Corpus.load(path: path, options: .init(textField: "content"))
        #expect(other.documents.count == 1)
    }

    @Test func skipBadLinesCountsThem() throws {
        let path = try write("{\"text\": \"ok\"}\n[1]\n{\"text\": 3}\n{\"text\": \"fine\"}\n")
        let corpus = try Corpus.load(path: path, options: .init(skipBadLines: true))
        #expect(corpus.documents.count == 2)
        #expect(corpus.skippedLines.count == 2)
        #expect(corpus.skippedLines[0].hasPrefix("\(path):2: valid JSON but not an object (an array)"))
        #expect(corpus.skippedLines[1].hasPrefix("\(path):3: field 'text' is not a string"))
    }

    @Test func emptyAndMissingCorporaAreClearErrors() throws {
        let empty = try write("\n\n")
        let error = #expect(throws: WorkbenchError.self) { try Corpus.load(path: empty) }
        #expect(error?.message == "corpus '\(empty)' has no documents")
        let missing = #expect(throws: WorkbenchError.self) { try Corpus.load(path: "/no/such/corpus.jsonl") }
        #expect(missing?.message.contains("does not exist") == true)
    }

    @Test func directoryWithGlobReadsMatchingFilesInOrder() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        try "b".write(toFile: directory + "/sub/b.py", atomically: true, encoding: .utf8)
        try "a".write(toFile: directory + "/a.py", atomically: true, encoding: .utf8)
        try "x".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        let corpus = try Corpus.load(path: directory, options: .init(glob: "*.py"))
        #expect(corpus.documents.map(\.source) == ["a.py", "sub/b.py"])
        let none = #expect(throws: WorkbenchError.self) { try Corpus.load(path: directory, options: .init(glob: "*.rs")) }
        #expect(none?.message.contains("no file matched --glob '*.rs'") == true)
    }

    @Test func plainFileIsOneDocument() throws {
        let path = try write("print(1)\n", name: "x.py")
        let corpus = try Corpus.load(path: path)
        #expect(corpus.documents.count == 1)
        #expect(corpus.documents[0].bytes == Array("print(1)\n".utf8))
    }

    /// The shipped corpus matches its manifest, and the Swift exact split rule gives the counts
    /// the Python generator computed independently (the near-duplicate counts: NearDuplicateTests).
    @Test func shippedCorporaMatchTheirManifest() throws {
        let directory = TestEnvironment.repositoryRoot + "/corpora"
        let manifest = try CorpusManifest.load(from: directory + "/MANIFEST.json")
        #expect(manifest.corpora.map(\.name) == ["cpython-stdlib", "perl-modules"])
        for entry in manifest.corpora {
            let corpus = try Corpus.load(path: directory + "/" + entry.file)
            #expect(corpus.name == entry.name)
            #expect(corpus.sha256 == entry.sha256)
            #expect(corpus.documents.count == entry.documents)
            #expect(corpus.documents.reduce(0) { $0 + $1.bytes.count } == entry.bytes)
            #expect(entry.exactSplitRule == CorpusSplit.ruleDescription)
            let nearDuplicate = corpus.applying(.nearDuplicate)
            for split in [CorpusSplit.train, .valid, .test] {
                let exact = try #require(entry.exactSplits?[split.rawValue])
                #expect(corpus.documents(in: split).count == exact.documents, "\(entry.name) \(split)")
                #expect(corpus.documents(in: split).reduce(0) { $0 + $1.bytes.count } == exact.bytes, "\(entry.name) \(split)")
                let near = try #require(entry.splits[split.rawValue])
                #expect(nearDuplicate.documents(in: split).count == near.documents, "\(entry.name) \(split)")
            }
        }
    }
}
