/// File-name-safe keys for specs (stage and training folders are named by them).
public enum StageKey {
    /// Letters, digits and `-` kept; everything else becomes `_`.
    public static func make(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }
}
