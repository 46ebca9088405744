import Foundation
import NeuralEngine
import WorkbenchCore

/// The frozen byte model M1: a NeuralEngine transformer over 257 tokens (bytes 0..255 and a
/// BOS/reset token 256), saved as `model.safetensors` plus a versioned `config.json`.
///
/// The model's identity is the SHA-256 of its weights file (`weightsSHA256`): every stream is
/// tied to it through the descriptor's `model_hash` option, so a stream made with another model
/// is refused instead of decoding to garbage.
public struct M1Model: Sendable {
    /// The artifact format name written to `config.json`.
    public static let formatName = "workbench.ac.m1"
    /// The artifact format version this code writes and reads.
    public static let formatVersion = 1
    /// The weights file inside an artifact directory (safetensors).
    public static let weightsFileName = "model.safetensors"
    /// The versioned config file inside an artifact directory.
    public static let configFileName = "config.json"
    /// Token ids: bytes are themselves; 256 is BOS (also the reset token).
    static let bosToken: Int32 = 256
    static let vocabularySize = 257

    /// The weights.
    public let parameters: Parameters
    /// Lowercase hex SHA-256 of the weights file.
    public let weightsSHA256: String
    /// The architecture.
    public var config: ModelConfig { parameters.config }

    /// What `config.json` holds.
    struct ArtifactConfig: Codable {
        var format: String
        var formatVersion: Int
        var weightsFile: String
        var weightsSHA256: String
        var vocabularySize: Int
        var bosToken: Int
        var model: ModelConfig
        var training: [String: String]

        enum CodingKeys: String, CodingKey {
            case format, formatVersion = "format_version", weightsFile = "weights_file"
            case weightsSHA256 = "weights_sha256", vocabularySize = "vocabulary_size", bosToken = "bos_token"
            case model, training
        }
    }

    init(parameters: Parameters, weightsSHA256: String) {
        self.parameters = parameters
        self.weightsSHA256 = weightsSHA256
    }

    /// Loads and checks an artifact directory.
    /// - Throws: `CodecError.pluginFailure` naming the file for a missing or damaged artifact,
    ///   a wrong format or version, or weights whose hash differs from `config.json`.
    public static func load(directory: String, compressor: String = "ac") throws(CodecError) -> M1Model {
        let configPath = directory + "/" + configFileName
        let weightsPath = directory + "/" + weightsFileName
        func fail(_ message: String) -> CodecError { CodecError(.pluginFailure, compressor: compressor, message) }
        guard let configData = FileManager.default.contents(atPath: configPath) else {
            throw fail(
                "no M1 model at \(directory): \(configFileName) is missing; train one with `workbench train-compressor ac` or omit model= to train"
            )
        }
        let artifact: ArtifactConfig
        do {
            artifact = try JSONDecoder().decode(ArtifactConfig.self, from: configData)
        } catch {
            throw fail("\(configPath) is not an M1 config: \(error)")
        }
        guard artifact.format == formatName else {
            throw fail("\(configPath): format '\(artifact.format)' is not '\(formatName)'")
        }
        guard artifact.formatVersion == formatVersion else {
            throw fail(
                "\(configPath): format version \(artifact.formatVersion) is not supported (this build reads \(formatVersion))")
        }
        guard artifact.vocabularySize == vocabularySize, artifact.bosToken == Int(bosToken),
            artifact.model.vocabularySize == vocabularySize
        else {
            throw fail("\(configPath): M1 must have 257 tokens with BOS 256")
        }
        guard let weights = FileManager.default.contents(atPath: weightsPath) else {
            throw fail("\(weightsPath) is missing")
        }
        let hash = SHA256.hexDigest(Array(weights))
        guard hash == artifact.weightsSHA256 else {
            throw fail(
                "\(weightsPath) has SHA-256 \(hash) but \(configFileName) records \(artifact.weightsSHA256): the artifact is damaged or mixed"
            )
        }
        let parameters: Parameters
        do {
            parameters = try Parameters.load(from: weightsPath, checkedByCaller: true)
        } catch {
            throw fail("cannot read \(weightsPath): \(error)")
        }
        guard parameters.config == artifact.model else {
            throw fail("\(weightsPath): its config differs from \(configFileName)")
        }
        return M1Model(parameters: parameters, weightsSHA256: hash)
    }

    /// Saves weights and config into `directory` (created if needed), atomically per file.
    /// - Returns: the saved model (with its hash).
    /// - Throws: `WorkbenchError` when a file cannot be written.
    static func save(_ parameters: Parameters, training: [String: String], to directory: String) throws -> M1Model {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let weightsPath = directory + "/" + weightsFileName
        try parameters.save(to: weightsPath, extraMetadata: ["workbench_artifact": formatName])
        guard let weights = FileManager.default.contents(atPath: weightsPath) else {
            throw WorkbenchError("cannot read back \(weightsPath)")
        }
        let hash = SHA256.hexDigest(Array(weights))
        let artifact = ArtifactConfig(
            format: formatName, formatVersion: formatVersion, weightsFile: weightsFileName, weightsSHA256: hash,
            vocabularySize: vocabularySize, bosToken: Int(bosToken), model: parameters.config, training: training)
        try AtomicFile.writeJSON(artifact, to: directory + "/" + configFileName)
        return M1Model(parameters: parameters, weightsSHA256: hash)
    }
}
