import ProxyTrainer
import Testing
import WorkbenchCore

@Suite struct RunPlanTests {
    static func plan(alphabet: Int?) -> ProxyRunPlan {
        var plan = ProxyRunPlan(corpus: "c.jsonl", corpusSHA256: "00")
        plan.compressor = alphabet.map { CompressorDescriptor(id: "x", displayName: "X", options: [:], alphabetSize: $0) }
        return plan
    }

    /// Periodic evaluations at step 0, e, 2e, ... below the last step.
    static func periodicEvaluations(_ config: ProxyRunConfig) -> Int {
        config.evaluateEvery == 0 ? 0 : (config.steps + config.evaluateEvery - 1) / config.evaluateEvery
    }

    @Test func stepsComeFromTheBudget() throws {
        let config = try Self.plan(alphabet: 256).config()
        let perStep = config.flopsPerStep(vocabularySize: 576)
        #expect(config.steps == Int(ProxyRunConfig.Preset.quick.defaults.budgetFLOPs / perStep))
        #expect(config.schedule.warmupSteps == Int((Double(config.steps) * 0.2).rounded()))
    }

    /// A run this machine cannot hold is refused, unless only its stream is exported for another trainer.
    @Test func memoryIsCheckedOnlyForRunsTrainedHere() throws {
        var plan = Self.plan(alphabet: 256)
        (plan.settings.width, plan.settings.layers, plan.settings.heads, plan.settings.context, plan.settings.batch) = (
            2048, 20, 16, 2048, 1024
        )
        plan.settings.steps = 10
        let refused = #expect(throws: ProxyTrainerError.self) { try plan.config() }
        #expect(refused?.message.contains("lower --batch") == true)
        plan.checksMemory = false
        #expect(try plan.config().steps == 10)
    }

    @Test func aSmallVocabularyGetsAllItsEvaluations() throws {
        let config = try Self.plan(alphabet: 256).config()
        #expect(Self.periodicEvaluations(config) == 10)
    }

    @Test func evaluationsOfALargeVocabularyStayWithinTheirShareOfTheBudget() throws {
        // 16-bit windows: 65,856 rows; one evaluation of 64 KiB costs over a quarter of a quick budget.
        let plan = Self.plan(alphabet: 65_536)
        let config = try plan.config()
        let vocabulary = 64 + 256 + 65_536
        let perEvaluation =
            Double(plan.settings.evaluationSampleBytes)
            * config.modelConfig(vocabularySize: vocabulary).forwardFLOPsPerToken(sequenceLength: config.context)
        let budget = Double(config.steps) * config.flopsPerStep(vocabularySize: vocabulary)
        #expect(perEvaluation > 0.25 * budget)
        let count = Self.periodicEvaluations(config)
        #expect(count < 10)
        #expect(Double(count) * perEvaluation <= plan.evaluationShare * budget)
    }

    @Test func aBudgetBelowOneStepIsRefused() {
        var plan = Self.plan(alphabet: 256)
        plan.budgetFLOPs = 1e6
        #expect(throws: ProxyTrainerError.self) { try plan.config() }
    }
}
