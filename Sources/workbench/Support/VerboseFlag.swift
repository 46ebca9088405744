/// `--verbose`, accepted anywhere before a `--`, lowers the log level to debug.
///
/// Why outside ArgumentParser: it is global (every command), and declaring it on each command
/// would repeat it in every option group. It is taken out of the arguments before parsing, so a
/// command never sees it; an argument after `--` is left alone.
enum VerboseFlag {
    /// Whether `--verbose` was given, and the arguments without it.
    static func extract(from arguments: [String]) -> (verbose: Bool, rest: [String]) {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let head = arguments[..<end]
        let verbose = head.contains("--verbose")
        return (verbose, head.filter { $0 != "--verbose" } + arguments[end...])
    }
}
