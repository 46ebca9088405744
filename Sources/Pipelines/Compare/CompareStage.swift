/// The stages `compare` knows, in the order they run.
public enum CompareStage: String, CaseIterable, Sendable, Codable {
    /// Build, encode, verify the round trip, time encode and decode.
    case rate
    /// Symbol usage, collisions and stability.
    case stats
    /// A proxy model per compressor and the bytes-only baseline.
    case train
    /// Each trained model evaluated on perturbed copies of the evaluation documents.
    case robust
}
