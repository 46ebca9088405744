import CZstd
import WorkbenchCore

/// Turns libzstd's size_t error codes into `CodecError`s.
enum ZstdErrors {
    /// True when a libzstd return value is an error code rather than a size.
    static func isError(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }

    /// The `CodecError` for a libzstd error code returned while decoding.
    static func decodeError(_ code: Int, compressor: String = "zstd") -> CodecError {
        let name = String(cString: ZSTD_getErrorName(code))
        switch ZSTD_getErrorCode(code) {
        case ZSTD_error_memory_allocation:
            return CodecError(.libraryFailure, compressor: compressor, "libzstd could not allocate memory: \(name)")
        case ZSTD_error_dictionary_wrong:
            return CodecError(
                .incompatibleStream, compressor: compressor,
                "the frame needs another dictionary (\(name)); decode with the dict it was encoded with")
        case ZSTD_error_frameParameter_windowTooLarge:
            return CodecError(
                .corruptInput, compressor: compressor, "the frame asks for a window larger than the decoder allows (\(name))")
        case ZSTD_error_srcSize_wrong:
            return CodecError(.truncatedInput, compressor: compressor, "the frame is incomplete (\(name))")
        default:
            return CodecError(.corruptInput, compressor: compressor, "not a valid zstd frame: \(name)")
        }
    }

    /// The `CodecError` for a libzstd error code returned while encoding.
    static func encodeError(_ code: Int, compressor: String = "zstd") -> CodecError {
        CodecError(
            .libraryFailure, compressor: compressor, "libzstd failed to compress: \(String(cString: ZSTD_getErrorName(code)))")
    }
}
