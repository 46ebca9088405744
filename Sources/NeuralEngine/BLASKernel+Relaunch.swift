import Foundation

/// How the OpenBLAS core of this process was chosen: one line for the log, and a warning when
/// the choice did not take.
public struct BLASCoreSelection: Sendable, Equatable, CustomStringConvertible {
    /// Who decided.
    public enum Origin: Sendable, Equatable {
        /// OpenBLAS's own detection, kept (nothing better, or `WORKBENCH_BLAS_CORE=keep`).
        case detected
        /// The workbench re-executed itself with this core instead of OpenBLAS's fallback.
        case automatic(replaced: String)
        /// `WORKBENCH_BLAS_CORE=NAME` asked for a core (OpenBLAS had loaded `replaced`).
        case requested(replaced: String)
        /// `OPENBLAS_CORETYPE` was set before the workbench started; never overridden.
        case environment
    }

    /// The core OpenBLAS runs (`BLASKernel.loadedCore`).
    public var core: String
    /// Who chose it.
    public var origin: Origin
    /// The core that was asked for when OpenBLAS loaded another one, or why no new process
    /// could be started; nil when all is well.
    public var problem: String?

    /// `OpenBLAS core SkylakeX (chosen by the workbench over Prescott...)`.
    public var description: String {
        switch origin {
        case .detected: return "OpenBLAS core \(core) (OpenBLAS's own choice)"
        case .automatic(let old):
            return
                "OpenBLAS core \(core) (chosen by the workbench over OpenBLAS's fallback \(old); WORKBENCH_BLAS_CORE=keep keeps it)"
        case .requested(let old): return "OpenBLAS core \(core) (WORKBENCH_BLAS_CORE; OpenBLAS had chosen \(old))"
        case .environment: return "OpenBLAS core \(core) (OPENBLAS_CORETYPE set by the caller)"
        }
    }
}

extension BLASKernel {
    /// Environment variable: `auto` (default) replaces an SSE-only fallback core with the one the
    /// processor supports, `keep` keeps OpenBLAS's choice, any other value is a core name for
    /// `OPENBLAS_CORETYPE` (`SkylakeX`, `Haswell`, `Prescott`...).
    public static let choiceVariable = "WORKBENCH_BLAS_CORE"
    /// Set in the re-executed process to the core OpenBLAS had chosen: it stops a second
    /// re-execution, whatever OpenBLAS makes of the name it was given.
    public static let relaunchMarkerVariable = "WORKBENCH_BLAS_RELAUNCHED"
    /// OpenBLAS's own variable, read once when the library loads.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"

    /// What `relaunchIfBetterCore` does, decided from the environment alone (a pure function).
    enum LaunchPlan: Equatable {
        case stay(BLASCoreSelection.Origin)
        case relaunch(core: String, origin: BLASCoreSelection.Origin)
    }

    static func launchPlan(environment: [String: String], loaded: String, features: CPUFeatures) -> LaunchPlan {
        let request = (environment[choiceVariable] ?? "auto").trimmingCharacters(in: .whitespaces)
        let automatic = ["auto", ""].contains(request.lowercased())
        if let replaced = environment[relaunchMarkerVariable] {
            return .stay(automatic ? .automatic(replaced: replaced) : .requested(replaced: replaced))
        }
        if let set = environment[coreTypeVariable], !set.isEmpty { return .stay(.environment) }
        if request.lowercased() == "keep" { return .stay(.detected) }
        if automatic {
            guard let better = recommendedCore(loaded: loaded, features: features) else { return .stay(.detected) }
            return .relaunch(core: better, origin: .automatic(replaced: loaded))
        }
        if request.lowercased() == loaded.lowercased() { return .stay(.requested(replaced: loaded)) }
        return .relaunch(core: request, origin: .requested(replaced: loaded))
    }

    /// Re-executes this process with a better OpenBLAS core when OpenBLAS fell back to SSE
    /// kernels on a processor with AVX2 or AVX-512 (see `recommendedCore`), or with the core
    /// `WORKBENCH_BLAS_CORE` names; otherwise returns how the current core was chosen.
    ///
    /// Call it first thing in `main`, before anything is read from standard input or written
    /// anywhere: on success it does not return, and the new process (same arguments, same open
    /// files, `OPENBLAS_CORETYPE` set) runs `main` again from the start. It never overrides an
    /// `OPENBLAS_CORETYPE` set by the caller, and `WORKBENCH_BLAS_RELAUNCHED` makes sure it
    /// re-executes at most once. Costs one process start (milliseconds), only on machines whose
    /// OpenBLAS picked the wrong kernels. Linux only (it uses `/proc/self/exe`); elsewhere it
    /// always returns.
    public static func relaunchIfBetterCore(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> BLASCoreSelection {
        let loaded = loadedCore
        switch launchPlan(environment: environment, loaded: loaded, features: .current) {
        case .stay(let origin):
            var selection = BLASCoreSelection(core: loaded, origin: origin, problem: nil)
            if environment[relaunchMarkerVariable] != nil, let asked = environment[coreTypeVariable],
                asked.lowercased() != loaded.lowercased()
            {
                selection.problem =
                    "OpenBLAS did not take OPENBLAS_CORETYPE=\(asked) and runs \(loaded); "
                    + "set WORKBENCH_BLAS_CORE to a core this OpenBLAS knows (or keep)"
            }
            return selection
        case .relaunch(let core, let origin):
            #if os(Linux)
            setenv(coreTypeVariable, core, 1)
            setenv(relaunchMarkerVariable, loaded, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Only reached when exec failed: carry on with the kernels we have.
            let reason = String(cString: strerror(errno))
            unsetenv(coreTypeVariable)
            unsetenv(relaunchMarkerVariable)
            return BLASCoreSelection(
                core: loaded, origin: .detected,
                problem: "could not re-execute with OPENBLAS_CORETYPE=\(core) (\(reason)); running on \(loaded)")
            #else
            _ = origin
            return BLASCoreSelection(core: loaded, origin: .detected, problem: nil)
            #endif
        }
    }
}
