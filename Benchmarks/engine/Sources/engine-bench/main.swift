// Entry point of the stand-alone engine benchmark: `engine-bench [options]` is
// `workbench bench engine [options]`.
import NeuralEngine

// Same start-up as `workbench`: OpenBLAS kernels that fit the CPU (may restart the process).
_ = BLASKernel.relaunchIfBetterCore()
BenchEngineCommand.main()
