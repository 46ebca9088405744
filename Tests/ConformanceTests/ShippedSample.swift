import Foundation
import WorkbenchCore

/// A few documents of the shipped corpus, read once.
enum ShippedSample {
    static let corpus: Corpus? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return try? Corpus.load(path: url.path + "/corpora/cpython-stdlib.jsonl")
    }()

    /// The first `count` documents of a split (in file order), or a fixed text when the corpus is missing.
    static func documents(split: CorpusSplit, count: Int) -> [[UInt8]] {
        guard let corpus else { return [Array("print('corpus missing')\n".utf8)] }
        return Array(corpus.documents(in: split).prefix(count).map(\.bytes))
    }
}
