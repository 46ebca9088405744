import Foundation
import WorkbenchCore

/// The registry row for `ac`: neural arithmetic coding with equal-info windows and entropy
/// segmentation ("Proxy Compression for Language Modeling"; Lester et al. 2024), the paper's neural proxy.
public enum ACPlugin {
    /// The CLI id.
    public static let id = "ac"

    /// Every option `ac` accepts.
    public static let options: [OptionSpec] = [
        OptionSpec(
            "model", .text, default: nil,
            help: "M1 artifact directory (config.json + model.safetensors); omitted: train on the corpus (cached)"),
        OptionSpec(
            "model_hash", .text, default: nil, help: "refuse unless M1's weights have this SHA-256 (recorded in every descriptor)"
        ),
        OptionSpec(
            "window", .integer(0...32), default: "16",
            help: "equal-info window in bits (8..32); 0 = plain AC over the whole document"),
        OptionSpec(
            "precision", .integer(10...24), default: nil,
            help: "frequency precision in bits; default 24 for plain AC, 16 for windows (17 for window=32)"),
        OptionSpec(
            "context", .choice(["window", "segment"]), default: "window",
            help: "reset M1's context at every window, or only at segment starts"),
        OptionSpec(
            "segment", .choice(["none", "entropy"]), default: "none",
            help: "cut documents where M1's next-byte entropy is high; segments coded independently"),
        OptionSpec(
            "raw", .choice(["auto", "none", "tail"]), default: "auto",
            help: "pass segment tails through as raw bytes (auto: tail with segment=entropy)"),
        OptionSpec(
            "entropy_max", .text, default: "6.0", help: "segment=entropy: cut where the next-byte entropy reaches this many bits"),
        OptionSpec(
            "entropy_jump", .text, default: "4.0",
            help: "segment=entropy: cut where the entropy is this many times the previous one"),
        OptionSpec("segment_min", .integer(1...1_000_000), default: "64", help: "segment=entropy: shortest segment in bytes"),
        OptionSpec(
            "width", .integer(8...1024), default: nil,
            help: "M1 width when training (default 128; 16 for training sets under 1 MB)"),
        OptionSpec("layers", .integer(1...16), default: nil, help: "M1 layers when training (default 2; 1 for small sets)"),
        OptionSpec(
            "model_context", .integer(4...4096), default: nil,
            help: "M1 context length when training (default 128; 32 for small sets)"),
        OptionSpec("steps", .integer(1...10_000_000), default: nil, help: "M1 training steps (default 2500; 30 for small sets)"),
        OptionSpec(
            "batch", .integer(1...4096), default: nil, help: "M1 training sequences per step (default 24; 8 for small sets)"),
        OptionSpec("seed", .integer(0...Int.max), default: "1", help: "M1 initialization and sampling seed"),
    ]

    /// Option sets the conformance suite runs besides the defaults: plain AC, shared context
    /// with raw tails, and entropy segmentation. All train the tiny model on the suite's 40
    /// documents (cached in-process), so they stay fast in debug builds.
    public static let conformanceOptions: [[String: String]] = [
        ["window": "0"],
        ["context": "segment", "raw": "tail"],
        ["segment": "entropy", "window": "20", "precision": "14"],
    ]

    /// The registry row.
    public static let entry = CompressorEntry(
        id: id, displayName: "Neural arithmetic coding (M1, equal-info windows)",
        summary:
            "a small byte transformer M1 + integer arithmetic coder; equal-info windows of B bits are the paper's neural proxy",
        options: options, conformanceOptions: conformanceOptions,
        trainer: CompressorTrainer { options, documents, directory, log in
            let settings = try trainingSettings(options, trainingBytes: documents.reduce(0) { $0 + $1.count })
            let model = try M1Trainer.train(documents: documents, settings: settings, directory: directory, log: log)
            return ["model": directory, "model_hash": model.weightsSHA256]
        },
        make: { options, context in try makeCompressor(options, context: context) })

    /// Builds the compressor: parses options, loads or trains M1, checks `model_hash`.
    public static func makeCompressor(_ options: ResolvedOptions, context: CompressorBuildContext) throws -> ACCompressor {
        let settings = try codingSettings(options)
        let (model, directory) = try resolveModel(options, context: context)
        if let expected = options.text("model_hash"), expected.lowercased() != model.weightsSHA256 {
            throw CodecError(
                .incompatibleStream, compressor: id,
                "model_hash=\(expected) but the M1 model at \(directory) has SHA-256 \(model.weightsSHA256): streams made with another model cannot be decoded with this one"
            )
        }
        return make(settings: settings, model: model, options: options)
    }

    static func make(settings: ACCodingSettings, model: M1Model, options: ResolvedOptions) -> ACCompressor {
        var values = options.values
        values["window"] = String(settings.windowBits)
        values["precision"] = String(settings.precision)
        values["raw"] = settings.rawTails ? "tail" : "none"
        values["model_hash"] = model.weightsSHA256
        let descriptor = CompressorDescriptor(
            id: id, displayName: "Neural arithmetic coding (M1, equal-info windows)", options: values,
            alphabetSize: settings.alphabetSize, passesRawBytesThrough: settings.rawTails,
            givesSpans: settings.windowBits > 0, collisionNote: collisionNote(settings))
        let cache: SegmentCache? = settings.segmentation == .none ? nil : SegmentCache()
        // Shared by every call, so contexts repeated across documents are computed once.
        let predictions = PredictionCache()
        let codec = ACCodec(settings: settings, compressor: id, cache: cache) { () throws(CodecError) -> BytePredictor in
            try M1Predictor(model: model, compressor: id, cache: predictions)
        }
        return ACCompressor(descriptor: descriptor, model: model, codec: codec)
    }

    /// Whether a window value can stand for several strings under these settings, and why.
    static func collisionNote(_ settings: ACCodingSettings) -> String {
        guard settings.windowBits > 0 else {
            return
                "plain arithmetic coding: the output bytes do not align with the input, so there are no spans and collisions are not measured"
        }
        switch settings.context {
        case .window:
            return
                "context=window restarts M1 and the coder at every window, so a window value always decodes to the same bytes: no collisions, by design"
        case .segment:
            return
                "context=segment carries M1's context from window to window within a segment, so one window value can stand for different strings (the paper's collisions)"
        }
    }

    /// Coding settings from options, refusing impossible combinations with the reason.
    static func codingSettings(_ options: ResolvedOptions) throws(WorkbenchError) -> ACCodingSettings {
        let window = options.integer("window") ?? 16
        if window != 0 && window < 8 {
            throw WorkbenchError("ac: window=\(window) is out of range; use 0 (plain AC) or 8..32 bits")
        }
        let precision = options.integer("precision") ?? (window == 0 ? 24 : (window >= 32 ? 17 : 16))
        if window > 0, let reason = EqualInfoWindowCoder.validate(bits: window, precision: precision) {
            throw WorkbenchError("ac: \(reason)")
        }
        let context: ACCodingSettings.ContextPolicy = options.text("context") == "segment" ? .segment : .window
        var segmentation = ACCodingSettings.Segmentation.none
        if options.text("segment") == "entropy" {
            guard window > 0 else { throw WorkbenchError("ac: segment=entropy needs equal-info windows (window > 0)") }
            guard let maxBits = Double(options.text("entropy_max") ?? "6.0"), maxBits.isFinite, maxBits > 0 else {
                throw WorkbenchError("ac: entropy_max must be a positive number of bits")
            }
            guard let jump = Double(options.text("entropy_jump") ?? "4.0"), jump.isFinite, jump > 1 else {
                throw WorkbenchError("ac: entropy_jump must be a number above 1 (a ratio between neighbouring entropies)")
            }
            segmentation = .entropy(maxBits: maxBits, jumpRatio: jump, minimumBytes: options.integer("segment_min") ?? 64)
        }
        let raw = options.text("raw") ?? "auto"
        let rawTails = raw == "tail" || (raw == "auto" && segmentation != .none)
        if rawTails && window == 0 { throw WorkbenchError("ac: raw=tail needs equal-info windows (window > 0)") }
        // Subtle: raw tails put windows at 256 + v, so a 32-bit window needs 2^32 + 256 symbols,
        // more than a symbol (UInt32) holds: refused rather than wrapped.
        if rawTails && window >= 32 {
            throw WorkbenchError(
                "ac: window=\(window) with raw tails (raw=tail, or segment=entropy) needs 2^\(window) + 256 symbols, more than a 32-bit symbol holds; use window <= 31 or raw=none"
            )
        }
        if context == .segment && segmentation != .none && !rawTails {
            throw WorkbenchError(
                "ac: context=segment with segment=entropy needs raw=tail (a raw tail marks where a segment ends)")
        }
        return ACCodingSettings(
            windowBits: window, precision: precision, context: context, segmentation: segmentation, rawTails: rawTails)
    }

    /// Training settings: the standard M1, or the tiny one for training sets under 1 MB, with
    /// explicit options overriding either.
    static func trainingSettings(_ options: ResolvedOptions, trainingBytes: Int) throws(WorkbenchError) -> M1TrainingSettings {
        var settings = trainingBytes < (1 << 20) ? M1TrainingSettings.tiny : M1TrainingSettings.standard
        if let width = options.integer("width") { settings.width = width }
        if let layers = options.integer("layers") { settings.layers = layers }
        if let length = options.integer("model_context") { settings.contextLength = length }
        if let steps = options.integer("steps") { settings.steps = steps }
        if let batch = options.integer("batch") { settings.batchSize = batch }
        if let seed = options.integer("seed") { settings.seed = UInt64(seed) }
        if settings.width % 2 != 0 || (settings.width >= 64 && settings.width % 32 != 0 && settings.width % 2 != 0) {
            throw WorkbenchError("ac: width=\(settings.width) must be even")
        }
        return settings
    }

    /// Models trained in this process, by corpus digest and settings (the conformance suite
    /// builds the same compressor many times without a cache directory).
    private static let trainedModels = TrainedModelMemo()
    private static let trainingLock = NSLock()

    static func resolveModel(_ options: ResolvedOptions, context: CompressorBuildContext) throws -> (M1Model, String) {
        if let directory = options.text("model") {
            return (try M1Model.load(directory: directory, compressor: id), directory)
        }
        let documents = try context.trainingDocuments()
        let settings = try trainingSettings(options, trainingBytes: documents.reduce(0) { $0 + $1.count })
        var digest = SHA256()
        for document in documents {
            digest.update(Array(String(document.count).utf8) + [0x0A])
            digest.update(document)
        }
        let memoKey =
            SHA256.hex(digest.finalize()) + "|"
            + settings.record.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        // One training at a time per process: concurrent builds of the same compressor (the
        // conformance suite runs tests in parallel) wait for the first instead of racing to
        // write the same directory.
        trainingLock.lock()
        defer { trainingLock.unlock() }
        if let (model, directory) = trainedModels.lookup(memoKey) {
            context.recordArtifact(id, directory)
            return (model, directory)
        }
        let trainingOptions = ResolvedOptions(values: settings.record)
        let directory =
            context.cacheDirectory(compressorID: id, options: trainingOptions)
            ?? NSTemporaryDirectory() + "workbench-ac-" + String(SHA256.hexDigest(Array(memoKey.utf8)).prefix(16))
        let model: M1Model
        if FileManager.default.fileExists(atPath: directory + "/" + M1Model.configFileName),
            let cached = try? M1Model.load(directory: directory, compressor: id),
            cached.config == settings.modelConfig
        {
            model = cached
        } else {
            model = try M1Trainer.train(documents: documents, settings: settings, directory: directory, log: context.log)
        }
        trainedModels.store(memoKey, (model, directory))
        context.recordArtifact(id, directory)
        return (model, directory)
    }
}

/// A lock-protected map of trained models.
final class TrainedModelMemo: @unchecked Sendable {
    private var models: [String: (M1Model, String)] = [:]
    private let lock = NSLock()
    func lookup(_ key: String) -> (M1Model, String)? { lock.withLock { models[key] } }
    func store(_ key: String, _ value: (M1Model, String)) { lock.withLock { models[key] = value } }
}
