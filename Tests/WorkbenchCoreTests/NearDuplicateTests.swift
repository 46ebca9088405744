import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The near-duplicate split rule: near-copies share a split, unrelated documents keep theirs.
@Suite struct NearDuplicateTests {
    static func text(_ seed: UInt64, lines: Int = 200) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var text = ""
        for line in 0..<lines { text += "value_\(line) = \(generator.next() % 100_000)  # entry \(generator.next() % 977)\n" }
        return Array(text.utf8)
    }

    @Test func nearCopiesClusterAndOthersDoNot() {
        let original = Self.text(1)
        var edited = original
        for position in stride(from: 500, to: edited.count, by: 900) { edited[position] = UInt8(ascii: "#") }
        var index = NearDuplicateIndex()
        let documents = [original, edited, Self.text(2), Self.text(3)]
        for document in documents { index.add(key: CorpusSplit.key(of: document), bytes: document) }
        let clusters = index.clusters()
        #expect(clusters.count == 1)
        #expect(Set(clusters.first ?? []) == [CorpusSplit.key(of: original), CorpusSplit.key(of: edited)])
        let assignment = index.assignment()
        #expect(assignment.split(ofKey: CorpusSplit.key(of: original)) == assignment.split(ofKey: CorpusSplit.key(of: edited)))
        #expect(assignment.clusters == 1 && assignment.clusteredDocuments == 2)
        // The cluster takes the split of its member with the smallest key.
        let smallest = min(CorpusSplit.key(of: original), CorpusSplit.key(of: edited))
        #expect(assignment.split(ofKey: CorpusSplit.key(of: edited)) == CorpusSplit.assign(key: smallest))
    }

    @Test func shortDocumentsHaveNoSignature() {
        #expect(NearDuplicateIndex.sampledShingles(Array("short".utf8)).isEmpty)
        var index = NearDuplicateIndex()
        index.add(key: 1, bytes: Array("short".utf8))
        index.add(key: 2, bytes: Array("short".utf8))
        #expect(index.clusters().isEmpty)
    }

    @Test func sampledShinglesFollowTheTextNotItsOffset() {
        let body = Self.text(4, lines: 40)
        let shifted = Array("a prefix that moves everything\n".utf8) + body
        let a = Set(NearDuplicateIndex.sampledShingles(body)), b = Set(NearDuplicateIndex.sampledShingles(shifted))
        #expect(!a.isEmpty && a.isSubset(of: b))
    }

    @Test func theShippedCorpusKeepsItsNearCopiesTogether() throws {
        let path = TestEnvironment.shippedCorpusPath
        #expect(FileManager.default.fileExists(atPath: path), "the shipped corpus is part of the repository")
        let exact = try CorpusStream(path: path)
        let survey = try exact.splitSurvey()
        let assignment = try #require(survey.assignment(.nearDuplicate))
        var near = exact
        near.splitAssignment = assignment
        let before = try exact.overlap(measured: .valid)
        let after = try near.overlap(measured: .valid)
        print(
            "near-duplicate split of the shipped corpus: \(assignment.clusters) clusters of \(assignment.clusteredDocuments) documents, \(assignment.overrides.count) moved; valid overlap with train \(before.share) -> \(after.share)"
        )
        #expect(assignment.clusters > 0)
        #expect(after.share < before.share)
        // The shipped MANIFEST records the split counts of the near-duplicate rule.
        let counts = survey.counts(measured: .valid, assignment: assignment)
        let manifest = try CorpusManifest.load(from: TestEnvironment.repositoryRoot + "/corpora/MANIFEST.json")
        let entry = try #require(manifest.corpora.first)
        #expect(entry.splits["valid"]?.documents == counts.measuredDocuments)
        #expect(entry.splits["train"]?.documents == counts.trainDocuments)
    }
}
