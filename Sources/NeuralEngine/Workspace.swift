/// Activation and gradient buffers for one (B, T) shape, reused across steps.
///
/// Raw allocations (not arrays in a class: those loops ran 30x slower; docs/performance.md).
final class Workspace {
    let b: Int, t: Int
    let n: Int
    private var allocations: [UnsafeMutableRawPointer] = []

    struct LayerActs {
        var ln1: FPtr  // (N, C)
        var rstd1: FPtr  // (N)
        var qkv: FPtr  // (N, 3C) after RoPE
        var att: FPtr  // (B, NH, T, T) probabilities
        var atty: FPtr  // (N, C)
        var resMid: FPtr  // (N, C) residual after attention
        var ln2: FPtr  // (N, C)
        var rstd2: FPtr  // (N)
        var fch: FPtr  // (N, H) before GELU
        var fchGelu: FPtr  // (N, H)
    }
    var resid: [FPtr]  // L+1 of (N, C)
    var layers: [LayerActs]
    let lnf: FPtr  // (N, C)
    let rstdf: FPtr  // (N)
    let logits: FPtr  // (N, V), dlogits after a training forward
    let logits2: FPtr?  // (N, V)
    let losses: FPtr  // (N)
    let losses2: FPtr?  // (N)
    // backward scratch
    let dresid: FPtr  // (N, C)
    let dln: FPtr  // (N, C)
    let dqkv: FPtr  // (N, 3C)
    let datty: FPtr  // (N, C)
    let dfch: FPtr  // (N, H)
    let attScratch: FPtr  // (attScratchSlots, attentionBlock, T)
    let attScratchSlots: Int
    // inputs
    let tokens: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    let weights: FPtr
    let targets2: UnsafeMutablePointer<Int32>
    let weights2: FPtr
    let starts: UnsafeMutablePointer<Int32>
    var gradScale: Float = 0
    var hasForward = false
    var trainingForward = false
    var hasExtraTargets = false
    let cosT: [Float], sinT: [Float]

    init(config: ModelConfig, batchSize: Int, sequenceLength: Int) {
        b = batchSize; t = sequenceLength; n = batchSize * sequenceLength
        let b = batchSize, t = sequenceLength
        let c = config.width, h = config.hiddenWidth, v = config.vocabularySize, nh = config.heads
        var allocs: [UnsafeMutableRawPointer] = []
        func f(_ count: Int) -> FPtr { let p = allocateFloats(count); allocs.append(UnsafeMutableRawPointer(p)); return p }
        func i32(_ count: Int) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count)); allocs.append(UnsafeMutableRawPointer(p)); return p
        }
        let n = b * t
        resid = (0...config.layers).map { _ in f(n * c) }
        layers = (0..<config.layers).map { _ in
            LayerActs(
                ln1: f(n * c), rstd1: f(n), qkv: f(n * 3 * c), att: f(b * nh * t * t), atty: f(n * c),
                resMid: f(n * c), ln2: f(n * c), rstd2: f(n), fch: f(n * h), fchGelu: f(n * h))
        }
        lnf = f(n * c); rstdf = f(n); logits = f(n * v)
        logits2 = config.extraHead ? f(n * v) : nil
        losses = f(n); losses2 = config.extraHead ? f(n) : nil
        dresid = f(n * c); dln = f(n * c); dqkv = f(n * 3 * c); datty = f(n * c); dfch = f(n * h)
        attScratchSlots = max(1, EngineThreads.count)
        attScratch = f(attScratchSlots * attentionBlock * t)
        tokens = i32(n); targets = i32(n); weights = f(n); targets2 = i32(n); weights2 = f(n); starts = i32(n)
        let tables = ropeTables(positions: t, headSize: config.headSize, base: config.ropeBase)
        cosT = tables.cos; sinT = tables.sin
        allocations = allocs
    }

    deinit {
        for p in allocations { p.deallocate() }
    }
}
