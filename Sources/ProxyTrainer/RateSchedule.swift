/// The compression rate and stream mode at each training step.
///
/// The paper's recipe (scaled to the run): a warm-up in `translation_random` with r rising
/// linearly from 0.4 to 0.9, then `sentinel` at 0.9; warm-up-only pairing beat always-on pairing
/// in its ablation. An optional decay ramps r linearly to `finalRate` over the last steps.
public struct RateSchedule: Sendable, Codable, Equatable {
    /// Steps of the warm-up phase (0 for none).
    public var warmupSteps: Int
    /// Rate at step 0.
    public var initialRate: Double
    /// Rate at the end of the warm-up and during the steady phase.
    public var peakRate: Double
    /// Mode during the warm-up.
    public var warmupMode: StreamMode
    /// Mode after the warm-up.
    public var steadyMode: StreamMode
    /// Steps at the end over which the rate moves linearly to `finalRate` (0 for none).
    public var decaySteps: Int
    /// Rate at the last step when decaying.
    public var finalRate: Double
    /// Total steps of the run.
    public var totalSteps: Int

    /// A constant rate and mode: the baselines (r = 0, r = 1) and "no warm-up" ablations.
    public static func constant(rate: Double, mode: StreamMode, totalSteps: Int) -> RateSchedule {
        RateSchedule(
            warmupSteps: 0, initialRate: rate, peakRate: rate, warmupMode: mode, steadyMode: mode, decaySteps: 0,
            finalRate: rate, totalSteps: totalSteps)
    }

    /// The paper's recipe: 20% of steps warm-up in translation_random from 0.4 to `peakRate`,
    /// then sentinel. A peak below 0.4 starts at the peak.
    public static func paper(peakRate: Double = 0.9, totalSteps: Int, warmupFraction: Double = 0.2) -> RateSchedule {
        RateSchedule(
            warmupSteps: Int((Double(totalSteps) * warmupFraction).rounded()), initialRate: min(0.4, peakRate),
            peakRate: peakRate, warmupMode: .translationRandom, steadyMode: .sentinel, decaySteps: 0,
            finalRate: peakRate, totalSteps: totalSteps)
    }

    /// Creates a schedule.
    public init(
        warmupSteps: Int, initialRate: Double, peakRate: Double, warmupMode: StreamMode, steadyMode: StreamMode,
        decaySteps: Int, finalRate: Double, totalSteps: Int
    ) {
        self.warmupSteps = warmupSteps
        self.initialRate = initialRate
        self.peakRate = peakRate
        self.warmupMode = warmupMode
        self.steadyMode = steadyMode
        self.decaySteps = decaySteps
        self.finalRate = finalRate
        self.totalSteps = totalSteps
    }

    /// Refuses rates outside 0..1 and phases longer than the run.
    public func validate() throws(ProxyTrainerError) {
        for (name, rate) in [("initial rate", initialRate), ("peak rate", peakRate), ("final rate", finalRate)] {
            guard rate >= 0 && rate <= 1 && rate.isFinite else {
                throw ProxyTrainerError("\(name) \(rate) is outside 0...1")
            }
        }
        guard warmupSteps >= 0, decaySteps >= 0, warmupSteps + decaySteps <= totalSteps else {
            throw ProxyTrainerError(
                "warm-up (\(warmupSteps)) plus decay (\(decaySteps)) steps exceed the \(totalSteps) steps of the run")
        }
    }

    /// Rate and mode at a step (0-based).
    public func phase(at step: Int) -> (rate: Double, mode: StreamMode) {
        if step < warmupSteps {
            let progress = Double(step) / Double(max(1, warmupSteps))
            return (initialRate + (peakRate - initialRate) * progress, warmupMode)
        }
        let decayStart = totalSteps - decaySteps
        if decaySteps > 0 && step >= decayStart {
            let progress = Double(step - decayStart + 1) / Double(decaySteps)
            return (peakRate + (finalRate - peakRate) * min(1, progress), steadyMode)
        }
        return (peakRate, steadyMode)
    }

    enum CodingKeys: String, CodingKey {
        case warmupSteps = "warmup_steps", initialRate = "initial_rate", peakRate = "peak_rate"
        case warmupMode = "warmup_mode", steadyMode = "steady_mode", decaySteps = "decay_steps"
        case finalRate = "final_rate", totalSteps = "total_steps"
    }
}
