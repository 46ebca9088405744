import ArgumentParser
import WorkbenchCore

extension Workbench {
    /// Parses and runs the command as `main(arguments)` does, except that a `WorkbenchError` marked as
    /// a usage error (a bad option value in a compressor spec) exits as a usage error (64), as
    /// ArgumentParser's own `ValidationError` does: the libraries below the CLI do not depend on
    /// ArgumentParser, so they mark the error and the CLI translates it here.
    static func mainReportingUsageErrors(_ arguments: [String]?) {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as WorkbenchError where error.isUsageError {
            exit(withError: ValidationError(error.message))
        } catch {
            exit(withError: error)
        }
    }
}
