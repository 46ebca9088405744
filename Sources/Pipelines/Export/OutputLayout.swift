/// Names of a job's output files from `--out`.
public enum OutputLayout {
    /// The path of the output with `suffix`: for `encode` the one JSONL output is `--out` itself;
    /// for `export`, `--out` names a prefix (a trailing main suffix such as `.bin` is dropped) and
    /// every file is prefix + suffix.
    public static func path(kind: String, out: String, mainSuffix: String, suffix: String) -> String {
        if kind == "encode" { return out }
        let prefix = out.hasSuffix(mainSuffix) ? String(out.dropLast(mainSuffix.count)) : out
        return prefix + suffix
    }
}
