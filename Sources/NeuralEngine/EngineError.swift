/// Everything that can go wrong in the engine, with enough context to act on.
///
/// Nothing reachable from a file, a config or a loss value traps: it throws one of these.
public enum EngineError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The model configuration is impossible (checked before any allocation or work).
    case invalidConfig(String)
    /// A batch does not match the model or itself (token out of range, wrong lengths...).
    case invalidBatch(String)
    /// A safetensors file is malformed; `file` is its path (or "<memory>").
    case malformedFile(file: String, reason: String)
    /// A tensor the model needs is absent from the file.
    case missingTensor(file: String, name: String)
    /// A tensor has the wrong shape.
    case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])
    /// A tensor has a dtype other than F32.
    case dtypeMismatch(file: String, name: String, expected: String, found: String)
    /// The file was written by another format or a newer version of this one.
    case unsupportedFormat(file: String, found: String)
    /// The file's checksum does not match its bytes: it is damaged and was not loaded.
    case checksumMismatch(file: String, stored: UInt32, computed: UInt32)
    /// Reading or writing failed.
    case io(file: String, reason: String)
    /// The loss (or gradient norm) became NaN or infinite; training must stop and the caller
    /// should keep its last good checkpoint. Parameters were NOT updated by this step.
    case nonFiniteLoss(step: Int, loss: Float, gradientNorm: Float)

    public var description: String {
        switch self {
        case .invalidConfig(let m): return "invalid model config: \(m)"
        case .invalidBatch(let m): return "invalid batch: \(m)"
        case .malformedFile(let f, let r): return "\(f): malformed safetensors file: \(r)"
        case .missingTensor(let f, let n): return "\(f): tensor '\(n)' is missing"
        case .shapeMismatch(let f, let n, let e, let g):
            return "\(f): tensor '\(n)' has shape \(g), expected \(e)"
        case .dtypeMismatch(let f, let n, let e, let g):
            return "\(f): tensor '\(n)' has dtype \(g), expected \(e)"
        case .unsupportedFormat(let f, let g): return "\(f): unsupported format \(g)"
        case .checksumMismatch(let f, let s, let c):
            return
                "\(f): checksum mismatch (stored crc32 \(hex8(s)), computed \(hex8(c))): the file is damaged (a flipped bit, or a partial copy) and was not loaded; restore it from a copy or retrain"
        case .io(let f, let r): return "\(f): \(r)"
        case .nonFiniteLoss(let s, let l, let g):
            return
                "training step \(s): non-finite loss \(l) (gradient norm \(g)); parameters left unchanged, resume from the last good checkpoint with a lower learning rate"
        }
    }
}

/// Eight lowercase hex digits.
func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
