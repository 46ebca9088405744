/// Activations of a group of rows (sequences of a step, or positions of a sequence).
final class RowBuffers: @unchecked Sendable {
    let x: FPtr  // (R, C) residual stream
    let xn: FPtr  // (R, C) normalized
    let qkv: FPtr  // (R, 3C) with RoPE'd q and k
    let y: FPtr  // (R, C) attention output
    let tmp: FPtr  // (R, C)
    let hidden: FPtr  // (R, H)
    init(config: ModelConfig, rows: Int) {
        let c = config.width
        x = allocateFloats(rows * c); xn = allocateFloats(rows * c); qkv = allocateFloats(rows * 3 * c)
        y = allocateFloats(rows * c); tmp = allocateFloats(rows * c); hidden = allocateFloats(rows * config.hiddenWidth)
    }
    deinit {
        for p in [x, xn, qkv, y, tmp, hidden] { p.deallocate() }
    }
}
