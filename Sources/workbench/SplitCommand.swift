import ArgumentParser
import Foundation
import Pipelines
import WorkbenchCore

/// `workbench split`: how a corpus divides into train, valid and test under each split rule, and
/// how much of the held-out text also occurs in train.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract:
            "Show how a corpus splits into train, valid and test, near-duplicate clusters, and the held-out text found in train.",
        discussion: """
            Prints one JSON object: per rule (exact: a hash of each document; near-duplicate: near-copies, by \
            MinHash over sampled 64-byte shingles, share a split) the documents and bytes of each split, the \
            near-duplicate clusters, and for valid and test the share of their 64-byte windows that occur verbatim \
            in train. corpora/MANIFEST.json records these counts for the shipped corpus.
            """)

    @OptionGroup var corpusArguments: CorpusArguments

    func run() throws {
        let stream = try corpusArguments.openStream()
        let survey = try stream.splitSurvey()
        var rules: [String: Any] = [:]
        for rule in SplitRuleChoice.allCases {
            var ruled = stream
            ruled.splitAssignment = survey.assignment(rule)
            var splits: [String: Any] = [:]
            for split in [CorpusSplit.train, .valid, .test] {
                let counts = survey.counts(measured: split, assignment: ruled.splitAssignment)
                var entry: [String: Any] = ["documents": counts.measuredDocuments, "bytes": counts.measuredBytes]
                if split != .train { entry["share_of_windows_in_train"] = try ruled.overlap(measured: split).share }
                splits[split.rawValue] = entry
            }
            var record: [String: Any] = [
                "rule": ruled.splitAssignment?.rule ?? CorpusSplit.ruleDescription, "splits": splits,
            ]
            if let assignment = ruled.splitAssignment {
                record["near_duplicate_clusters"] = assignment.clusters
                record["near_duplicate_documents"] = assignment.clusteredDocuments
                record["documents_moved"] = assignment.overrides.count
            }
            rules[rule.rawValue] = record
        }
        let output: [String: Any] = [
            "corpus": stream.path, "sha256": survey.survey.sha256, "documents": survey.documents.count, "rules": rules,
        ]
        print(try JSONText.serialize(output))
    }
}
