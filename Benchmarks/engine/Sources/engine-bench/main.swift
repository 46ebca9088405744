// Entry point of the stand-alone engine benchmark: `engine-bench [options]` is
// `workbench bench engine [options]`.
BenchEngineCommand.main()
