import Foundation

/// Names and versions of the files the engine writes.
public enum EngineFileFormat {
    /// `__metadata__["format"]` of a weights file.
    public static let weights = "workbench.neuralengine.weights"
    /// `__metadata__["format"]` of a training checkpoint.
    public static let checkpoint = "workbench.neuralengine.checkpoint"
    /// `__metadata__["format_version"]` written by this build (older or equal versions load).
    /// Version 2 adds the whole-file checksum (`Safetensors`), which it requires; version 1 files
    /// have none and load with a warning that they could not be verified.
    public static let version = 2

    /// Where the warning about a version-1 file without a checksum goes (standard error by
    /// default, once per file and process; tests capture it).
    nonisolated(unsafe) public static var warn: (String) -> Void = { message in
        fputs("warning: \(message)\n", stderr)
    }
    nonisolated(unsafe) private static var warnedFiles: Set<String> = []
    private static let warnedLock = NSLock()

    static func encodeConfig(_ c: ModelConfig) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? enc.encode(c)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    static func checkFormat(_ file: Safetensors.File, expected: String, warnIfUnverified: Bool = true) throws -> ModelConfig {
        let found = file.metadata["format"] ?? "<none>"
        guard found == expected else {
            throw EngineError.unsupportedFormat(file: file.fileName, found: "format '\(found)', expected '\(expected)'")
        }
        guard let vs = file.metadata["format_version"], let v = Int(vs), v >= 1, v <= version else {
            throw EngineError.unsupportedFormat(
                file: file.fileName,
                found: "format_version '\(file.metadata["format_version"] ?? "<none>")', this build reads 1...\(version)")
        }
        if !file.hasChecksum {
            guard v < 2 else {
                throw EngineError.malformedFile(
                    file: file.fileName,
                    reason:
                        "format_version \(v) files carry a checksum but this one has none: the file is damaged and was not loaded"
                )
            }
            let first = warnedLock.withLock { warnedFiles.insert(file.fileName).inserted }
            if first && warnIfUnverified {
                warn(
                    "\(file.fileName) was written by an older workbench (format_version 1) without a checksum: loaded, but damage in it cannot be detected; saving it again (e.g. a resumed run's next checkpoint) adds one"
                )
            }
        }
        guard let cs = file.metadata["config"], let config = try? JSONDecoder().decode(ModelConfig.self, from: Data(cs.utf8))
        else {
            throw EngineError.malformedFile(file: file.fileName, reason: "__metadata__ lacks a readable 'config'")
        }
        try config.validate()
        return config
    }
}

extension Parameters {
    /// Every tensor under its state-dict name, prefixed by `prefix`.
    func namedTensors(prefix: String = "") -> [NamedTensor] {
        layout.tensors.map { s in
            NamedTensor(name: prefix + s.name, shape: s.shape, values: Array(values[s.offset..<(s.offset + s.count)]))
        }
    }

    /// Fills every tensor from `file` (names prefixed by `prefix`), checking dtype and shape.
    mutating func fill(from file: Safetensors.File, prefix: String = "") throws {
        for s in layout.tensors {
            let v = try file.floats(prefix + s.name, expectedShape: s.shape)
            if let bad = v.firstIndex(where: { !$0.isFinite }) {
                throw EngineError.malformedFile(
                    file: file.fileName,
                    reason:
                        "tensor '\(prefix + s.name)' holds \(v[bad]) at element \(bad): weights must be finite numbers (training diverged, or the file was edited); not loaded"
                )
            }
            values.replaceSubrange(s.offset..<(s.offset + s.count), with: v)
        }
    }

    /// Saves the weights as safetensors (atomic write); metadata holds the format name,
    /// version and the model config as JSON, plus `extraMetadata` (keys must not collide).
    public func save(to path: String, extraMetadata: [String: String] = [:]) throws {
        var meta = extraMetadata
        meta["format"] = EngineFileFormat.weights
        meta["format_version"] = String(EngineFileFormat.version)
        meta["config"] = EngineFileFormat.encodeConfig(config)
        try Safetensors.write(namedTensors(), metadata: meta, to: path)
    }

    /// Loads weights saved by `save(to:)` (the config comes from the file's metadata).
    /// - Parameter checkedByCaller: the caller verified the file's bytes itself (the `ac`
    ///   artifact records their SHA-256), so an older file without a checksum loads silently.
    /// - Throws: `EngineError` naming the file and, for a bad tensor, the tensor.
    public static func load(from path: String, checkedByCaller: Bool = false) throws -> Parameters {
        let file = try Safetensors.read(path: path)
        let config = try EngineFileFormat.checkFormat(
            file, expected: EngineFileFormat.weights, warnIfUnverified: !checkedByCaller)
        var p = try Parameters(zerosFor: config)
        try p.fill(from: file)
        return p
    }
}

/// Everything needed to resume training exactly: weights, AdamW moments and step, schedule,
/// clipping, the caller's RNG state and free-form caller metadata.
public struct Checkpoint: Equatable {
    /// Model weights (with their config).
    public var parameters: Parameters
    /// AdamW hyperparameters, moments and step count.
    public var optimizer: AdamW
    /// The learning-rate schedule.
    public var schedule: LearningRateSchedule
    /// Gradient clipping threshold, if any.
    public var maxGradientNorm: Float?
    /// State of the caller's data RNG (e.g. `SeededGenerator.state`).
    public var rngState: [UInt64]
    /// Caller metadata (stored under `user.` keys).
    public var userMetadata: [String: String]

    /// A checkpoint from its parts (usually made by `TrainingSession.checkpoint`).
    public init(
        parameters: Parameters, optimizer: AdamW, schedule: LearningRateSchedule, maxGradientNorm: Float?,
        rngState: [UInt64], userMetadata: [String: String] = [:]
    ) {
        self.parameters = parameters; self.optimizer = optimizer; self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm; self.rngState = rngState; self.userMetadata = userMetadata
    }

    /// Saves as one safetensors file: weights under their names, moments under
    /// `optimizer.m.` / `optimizer.v.`, everything else in `__metadata__`. Atomic.
    public func save(to path: String) throws {
        var meta = [String: String]()
        for (k, v) in userMetadata { meta["user." + k] = v }
        meta["format"] = EngineFileFormat.checkpoint
        meta["format_version"] = String(EngineFileFormat.version)
        meta["config"] = EngineFileFormat.encodeConfig(parameters.config)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        meta["adamw"] = (try? enc.encode(optimizer.config)).flatMap { String(data: $0, encoding: .utf8) }
        meta["schedule"] = (try? enc.encode(schedule)).flatMap { String(data: $0, encoding: .utf8) }
        meta["optimizer_step"] = String(optimizer.step)
        meta["max_gradient_norm"] = maxGradientNorm.map { String($0.bitPattern) } ?? "none"
        meta["rng_state"] = rngState.map(String.init).joined(separator: ",")
        let tensors =
            parameters.namedTensors() + optimizer.m.namedTensors(prefix: "optimizer.m.")
            + optimizer.v.namedTensors(prefix: "optimizer.v.")
        try Safetensors.write(tensors, metadata: meta, to: path)
    }

    /// Loads a checkpoint written by `save(to:)`.
    public static func load(from path: String) throws -> Checkpoint {
        let file = try Safetensors.read(path: path)
        let config = try EngineFileFormat.checkFormat(file, expected: EngineFileFormat.checkpoint)
        func bad(_ r: String) -> EngineError { .malformedFile(file: path, reason: r) }
        var params = try Parameters(zerosFor: config)
        try params.fill(from: file)
        guard let adamJSON = file.metadata["adamw"],
            let adamConfig = try? JSONDecoder().decode(AdamWConfig.self, from: Data(adamJSON.utf8))
        else { throw bad("missing 'adamw'") }
        guard let schedJSON = file.metadata["schedule"],
            let schedule = try? JSONDecoder().decode(LearningRateSchedule.self, from: Data(schedJSON.utf8))
        else { throw bad("missing 'schedule'") }
        guard let stepString = file.metadata["optimizer_step"], let step = Int(stepString), step >= 0 else {
            throw bad("missing 'optimizer_step'")
        }
        var clip: Float? = nil
        if let c = file.metadata["max_gradient_norm"], c != "none" {
            guard let bits = UInt32(c) else { throw bad("bad 'max_gradient_norm'") }
            clip = Float(bitPattern: bits)
        }
        let rng = (file.metadata["rng_state"] ?? "").split(separator: ",").compactMap { UInt64($0) }
        var opt = try AdamW(modelConfig: config, config: adamConfig)
        try opt.m.fill(from: file, prefix: "optimizer.m.")
        try opt.v.fill(from: file, prefix: "optimizer.v.")
        opt.step = step
        var user = [String: String]()
        for (k, v) in file.metadata where k.hasPrefix("user.") { user[String(k.dropFirst(5))] = v }
        return Checkpoint(
            parameters: params, optimizer: opt, schedule: schedule, maxGradientNorm: clip,
            rngState: rng, userMetadata: user)
    }
}

extension TrainingSession {
    /// A checkpoint of this session's current state plus the caller's RNG state and metadata.
    public func checkpoint(rngState: [UInt64] = [], userMetadata: [String: String] = [:]) -> Checkpoint {
        Checkpoint(
            parameters: model.parameters, optimizer: optimizer, schedule: schedule,
            maxGradientNorm: maxGradientNorm, rngState: rngState, userMetadata: userMetadata)
    }

    /// A session resumed from a checkpoint; the next `step` continues exactly where it stopped.
    public convenience init(checkpoint: Checkpoint) throws {
        let model = try TransformerModel(parameters: checkpoint.parameters)
        try self.init(
            model: model, optimizer: checkpoint.optimizer.config, schedule: checkpoint.schedule,
            maxGradientNorm: checkpoint.maxGradientNorm)
        optimizer = checkpoint.optimizer
    }
}
