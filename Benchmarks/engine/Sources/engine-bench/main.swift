// Entry point of the stand-alone engine benchmark: `engine-bench [options]` is
// `workbench bench engine [options]`.
import Foundation
import NeuralEngine

// Same start-up as `workbench`: OpenBLAS kernels that fit the CPU (may restart the process).
if let problem = BLASKernel.relaunchIfBetterCore().problem {
    FileHandle.standardError.write(Data("engine-bench: \(problem)\n".utf8))
}
BenchEngineCommand.main()
