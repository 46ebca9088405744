import ArgumentParser
import ProxyTrainer

/// The options of one proxy-training run beyond the trainer's knobs (`TrainerOptions`), shared by
/// `workbench train` and `workbench export --format training-stream`, so that an exported stream
/// is exactly the one `train` with the same options consumes.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Optimizer steps instead of a FLOPs budget.")
    var steps: Int?

    @Option(
        parsing: .unconditional,
        help:
            "Seed of the data order and draws when it should differ from --seed (which then seeds the initialization only): to tell the two sources of spread apart."
    )
    var dataSeed: UInt64?

    @Option(
        parsing: .unconditional,
        help:
            "Evaluations on the sample during the run, at most: together they may cost at most half the training FLOPs, so a large vocabulary gets fewer."
    )
    var evaluations: Int = 10

    @Option(parsing: .unconditional, help: "Bytes of the valid split in the periodic evaluation sample.")
    var evaluationSampleBytes: Int = 65_536

    @Option(parsing: .unconditional, help: "Checkpoint every this many steps (default: 20 checkpoints per run).")
    var checkpointEvery: Int?

    @Flag(
        help:
            "Also write the weights the run starts from (train: DIR/initial.safetensors; export: PREFIX.initial.safetensors), so another trainer can start from the same weights."
    )
    var saveInitialWeights = false

    /// The settings of one run: the trainer's options with these.
    func settings(_ trainer: TrainerOptions) -> TrainerSettings {
        var settings = trainer.settings(steps: steps)
        settings.evaluations = evaluations
        settings.evaluationSampleBytes = evaluationSampleBytes
        settings.checkpointEvery = checkpointEvery
        settings.dataSeed = dataSeed
        return settings
    }
}
