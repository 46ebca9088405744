// NeuralEngine: a small, exact and fast decoder-only transformer on OpenBLAS, in the
// spirit of llm.c: one forward and one backward function per layer (Layers.swift), every buffer
// annotated with its shape, no autograd graph.
//
// Map of the module:
// - ModelConfig           architecture, validation, parameter counts, FLOPs per token.
// - Parameters            all weights in one flat buffer (also gradients, AdamW moments);
//                         PyTorch state-dict names; seeded GPT-2 style init.
// - TrainingBatch         tokens, targets, per-position weights, extra-head targets, document ids.
// - TransformerModel      forward (loss, logits) and backward (gradients) on OpenBLAS.
// - TrainingSession       one optimizer step: forward, backward, clipping, AdamW, schedule; a
//                         non-finite loss throws EngineError.nonFiniteLoss and changes nothing.
// - AdamW, LearningRateSchedule, globalNorm, clipGlobalNorm.
// - InferenceSession      deterministic incremental decoding with a KV cache (batch of
//                         independent sequences) and whole-sequence logits with the same bits.
// - Safetensors, Parameters.save/load, Checkpoint   files (format name/version + config in
//                         __metadata__; atomic writes; errors name the tensor).
// - EngineThreads         thread count and matrix-product threading strategy.
// - Kernels.swift         OpenBLAS sgemm wrapper (+ naive reference), SIMD exp/tanh/GELU, fixed-order
//                         dot/matvec used by deterministic mode.
// - BLASKernel            which OpenBLAS core runs sgemm, the better one for this CPU (CPUFeatures),
//                         and the re-execution that selects it; SgemmBenchmark times it.
//
// Floating point: fp32 everywhere; training sums are not bit-reproducible across thread counts
// (OpenBLAS), inference in InferenceSession is.
